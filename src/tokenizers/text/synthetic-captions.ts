/**
 * Seeded caption-like text in nine locales, for tokenizer tests and the speed benchmark. It stands
 * in for world captions (same shape: short templated sentences, a small vocabulary, many scripts)
 * so the tokenizer can be measured without building a world first.
 */

interface Locale {
  colors: string[];
  shapes: string[];
  relations: string[];
  /** Slots: colors {c1} {c2}, shapes {s1} {s2}, relation {r}, number {n}, quoted word {w}. */
  templates: string[];
  /** Letters for the random words a caption quotes (signs, labels): the long tail of the vocabulary. */
  alphabet: string;
}

const LOCALES: Record<string, Locale> = {
  en: {
    colors: ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown', 'black', 'white', 'gray', 'cyan'],
    shapes: ['circle', 'square', 'triangle', 'star', 'heart', 'cat', 'house', 'tree', 'car', 'moon'],
    relations: ['above', 'below', 'left of', 'right of', 'next to', 'inside'],
    templates: ['a {c1} {s1} {r} a {c2} {s2}', '{n} {c1} {s1}s on a {c2} background', 'A {c1} {s1}.', '1. a {c1} {s1}\n2. a {c2} {s2}', 'a {c1} sign that says "{w}"'],
    alphabet: 'abcdefghijklmnopqrstuvwxyz',
  },
  es: {
    colors: ['rojo', 'naranja', 'amarillo', 'verde', 'azul', 'morado', 'rosa', 'marrón', 'negro', 'blanco', 'gris', 'cian'],
    shapes: ['círculo', 'cuadrado', 'triángulo', 'corazón', 'gato', 'árbol', 'coche'],
    relations: ['encima de', 'debajo de', 'a la izquierda de', 'junto a', 'dentro de'],
    templates: ['un {s1} {c1} {r} un {s2} {c2}', '{n} {s1}s de color {c1} sobre fondo {c2}', 'Un {s1} {c1}.', 'un cartel {c1} que dice «{w}»'],
    alphabet: 'abcdefghijlmnopqrstuvzñáéíóú',
  },
  fr: {
    colors: ['rouge', 'orange', 'jaune', 'vert', 'bleu', 'violet', 'rose', 'marron', 'noir', 'blanc', 'gris'],
    shapes: ['cercle', 'carré', 'triangle', 'étoile', 'cœur', 'chat', 'maison', 'arbre', 'voiture'],
    relations: ['au-dessus d’un', 'sous un', 'à gauche d’un', 'à côté d’un', "à l'intérieur d'un"],
    templates: ['un {s1} {c1} {r} {s2} {c2}', '{n} {s1}s {c1}s sur un fond {c2}', 'Un {s1} {c1}.', 'un panneau {c1} où est écrit « {w} »'],
    alphabet: 'abcdefghijlmnopqrstuvéèàçê',
  },
  de: {
    colors: ['roter', 'oranger', 'gelber', 'grüner', 'blauer', 'lila', 'rosa', 'brauner', 'schwarzer', 'weißer', 'grauer'],
    shapes: ['Kreis', 'Würfel', 'Stern', 'Baum', 'Mond', 'Kater', 'Ballon'],
    relations: ['über einem', 'unter einem', 'links neben einem', 'rechts neben einem', 'in einem'],
    templates: ['ein {c1} {s1} {r} {c2} {s2}', '{n} {c1} {s1} auf {c2} Hintergrund', 'Ein {c1} {s1}.', 'ein {c1} Schild mit der Aufschrift „{w}“'],
    alphabet: 'abcdefghiklmnoprstuwzäöüß',
  },
  ru: {
    colors: ['красный', 'оранжевый', 'жёлтый', 'зелёный', 'синий', 'фиолетовый', 'розовый', 'коричневый', 'чёрный', 'белый'],
    shapes: ['круг', 'квадрат', 'треугольник', 'кот', 'дом', 'автомобиль', 'месяц'],
    relations: ['над', 'под', 'слева от', 'справа от', 'рядом с', 'внутри'],
    templates: ['{c1} {s1} {r} {c2} {s2}', '{n} {c1} {s1} на фоне цвета «{c2}»', '{c1} {s1}.', '{c1} табличка с надписью «{w}»'],
    alphabet: 'абвгдежзиклмнопрстуфхцчшыэюя',
  },
  ja: {
    colors: ['赤い', '青い', '黄色い', '白い', '黒い', '緑の', 'ピンクの', 'オレンジの', '紫の', '茶色の'],
    shapes: ['円', '四角', '三角', '星', '猫', '家', '木', '車', 'ハート', 'ボール'],
    relations: ['の上にある', 'の下にある', 'の左にある', 'の右にある', 'の隣にある'],
    templates: ['{c2}{s2}{r}{c1}{s1}', '{c2}背景の上に{c1}{s1}が{n}個', '{c1}{s1}。', '「{w}」と書かれた{c1}看板'],
    alphabet: 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロ',
  },
  zh: {
    colors: ['红色', '橙色', '黄色', '绿色', '蓝色', '紫色', '粉色', '棕色', '黑色', '白色', '灰色'],
    shapes: ['圆形', '正方形', '三角形', '星星', '心形', '猫', '房子', '树', '汽车', '月亮'],
    relations: ['上方', '下方', '左边', '右边', '旁边', '里面'],
    templates: ['一个{c1}的{s1}在{c2}的{s2}{r}', '{c2}背景上有{n}个{c1}的{s1}', '一个{c1}的{s1}。', '写着“{w}”的{c1}牌子'],
    alphabet: '天地人山水火木金土日月风云雨雪花草鸟鱼龙马牛羊大小中上下左右东西南北',
  },
  hi: {
    colors: ['लाल', 'नारंगी', 'पीला', 'हरा', 'नीला', 'बैंगनी', 'गुलाबी', 'भूरा', 'काला', 'सफ़ेद', 'स्लेटी'],
    shapes: ['वृत्त', 'वर्ग', 'त्रिभुज', 'तारा', 'दिल', 'बिल्ली', 'घर', 'पेड़', 'कार'],
    relations: ['के ऊपर', 'के नीचे', 'के बाईं ओर', 'के दाईं ओर', 'के पास', 'के अंदर'],
    templates: ['एक {c2} {s2} {r} एक {c1} {s1}', '{c2} पृष्ठभूमि पर {n} {c1} {s1}', 'एक {c1} {s1}।', '{c1} बोर्ड जिस पर "{w}" लिखा है'],
    alphabet: 'कखगघचछजझटठडढतथदधनपफबभमयरलवशसह',
  },
  ar: {
    colors: ['أحمر', 'برتقالي', 'أصفر', 'أخضر', 'أزرق', 'بنفسجي', 'وردي', 'بني', 'أسود', 'أبيض', 'رمادي'],
    shapes: ['دائرة', 'مربع', 'مثلث', 'نجمة', 'قلب', 'قطة', 'منزل', 'شجرة', 'سيارة'],
    relations: ['فوق', 'تحت', 'على يسار', 'على يمين', 'بجانب', 'داخل'],
    templates: ['{s1} {c1} {r} {s2} {c2}', '{n} {s1} {c1} على خلفية {c2}', '{s1} {c1}.', 'لافتة {c1} مكتوب عليها «{w}»'],
    alphabet: 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي',
  },
};

export const SYNTHETIC_LOCALES = Object.keys(LOCALES);

/** mulberry32: a tiny seeded PRNG, so the same seed gives the same text everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` captions cycling through the locales.
 *
 * @example
 * syntheticCaptions(3, 1); // ['a red cat above a blue house', 'un gato rojo …', '…']
 */
export function syntheticCaptions(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const locales = Object.values(LOCALES);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const locale = locales[i % locales.length];
    const slots: Record<string, string> = {
      c1: pick(locale.colors),
      c2: pick(locale.colors),
      s1: pick(locale.shapes),
      s2: pick(locale.shapes),
      r: pick(locale.relations),
      n: String(2 + Math.floor(random() * 11)),
      w: Array.from({ length: 2 + Math.floor(random() * 7) }, () => pick([...locale.alphabet])).join(''),
    };
    out.push(pick(locale.templates).replace(/\{(\w+)\}/g, (_, slot: string) => slots[slot]));
  }
  return out;
}
