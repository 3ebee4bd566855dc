import { type Lexicon, type ObjectWords } from '../lexicon.ts';

/** Japanese and Chinese: attributes precede the noun with a particle (の / 的), no agreement at all. */
interface CjkWords {
  colors: Lexicon['colors'];
  backgrounds: Lexicon['backgrounds'];
  shapes: Lexicon['shapes'];
  patterns: Lexicon['patterns'];
  faces: Lexicon['faces'];
  of: string;
  and: string;
  comma: string;
  wearing: (acc: string) => string;
  word: (t: string) => string;
  number: (t: string) => string;
  onBackground: (bg: string) => string;
  grid: (r: number, c: number) => string;
  gridLongIntro: (r: number, c: number, n: number, bg: string) => string;
  relation: (a: string, rel: 'left of' | 'right of' | 'above' | 'below', b: string) => string;
  style: (s: string) => string;
  count: (n: number, o: string) => string;
}

export function cjkLexicon(w: CjkWords): Lexicon {
  const prefix = (o: ObjectWords): string => {
    if (o.pattern === 'rainbow' || o.pattern === 'tie-dye') return `${w.patterns[o.pattern]}${w.of}`;
    const colors = o.color2 ? `${w.colors[o.color!]}${w.and}${w.colors[o.color2]}` : o.color ? w.colors[o.color] : '';
    const pattern = o.pattern && o.pattern !== 'solid' ? w.patterns[o.pattern] : '';
    return colors || pattern ? `${colors}${pattern}${w.of}` : '';
  };
  return {
    colors: w.colors,
    backgrounds: w.backgrounds,
    shapes: w.shapes,
    patterns: w.patterns,
    faces: w.faces,
    textName: (text, isNumber) => (isNumber ? w.number(text) : w.word(text)),
    object(o) {
      const face = o.kind === 'text' && o.face && o.face !== 'sans' ? `${w.faces[o.face]}${w.of}` : '';
      const acc = o.accessory ? w.wearing(`${o.accessory.color ? `${w.colors[o.accessory.color]}${w.of}` : ''}${o.accessory.name}`) : '';
      return `${acc}${face}${prefix(o)}${o.name}`;
    },
    single: (object, background) => (background ? `${w.onBackground(background)}${object}` : object),
    gridShort: (rows, cols, items, background) => `${background ? w.onBackground(background) : ''}${w.grid(rows, cols)}：${items.join(w.comma)}`,
    gridLong: (rows, cols, items, background) => `${w.gridLongIntro(rows, cols, items.length, background)} ${items.map((item, i) => `${i + 1}. ${item}`).join(' ')}`,
    count(n, o) {
      return w.count(n, this.object({ ...o, accessory: undefined }, 0));
    },
    relations: (clauses) => clauses.map(([a, rel, b]) => w.relation(a, rel, b)).join(w.comma),
    inStyle: (caption, style) => `${caption}（${w.style(style)}）`,
  };
}

export const ja = cjkLexicon({
  colors: { red: '赤', orange: 'オレンジ', yellow: '黄色', green: '緑', blue: '青', purple: '紫', pink: 'ピンク', brown: '茶色', black: '黒', white: '白', gray: '灰色', cyan: '水色' },
  backgrounds: { white: '白', cream: 'クリーム色', 'light gray': '薄い灰色', 'light blue': '薄い青', 'light green': '薄い緑', 'light pink': '薄いピンク', 'light yellow': '薄い黄色', black: '黒' },
  shapes: { circle: '円', square: '正方形', triangle: '三角形', star: '星', heart: 'ハート', diamond: 'ひし形', hexagon: '六角形', pentagon: '五角形', crescent: '三日月', cross: '十字', ring: 'リング', arrow: '矢印', hourglass: '砂時計', infinity: '無限大記号', 'lightning bolt': '稲妻', bowtie: '蝶ネクタイ' },
  patterns: { solid: '無地', striped: 'ストライプ', 'polka-dot': '水玉', checkered: 'チェック', gradient: 'グラデーション', rainbow: '虹色', 'tie-dye': 'タイダイ' },
  faces: { sans: 'ゴシック体', serif: '明朝体', monospace: '等幅', cursive: '筆記体' },
  of: 'の',
  and: 'と',
  comma: '、',
  wearing: (acc) => `${acc}を身につけた`,
  word: (t) => `「${t}」という文字`,
  number: (t) => `数字の${t}`,
  onBackground: (bg) => `${bg}の背景に`,
  grid: (r, c) => `${r}×${c}のグリッド`,
  gridLongIntro: (r, c, n, bg) => `${bg}の背景に${r}行${c}列のグリッドで${n}個のオブジェクトを並べた正方形の画像。左から右、上から下の順。リスト：`,
  relation: (a, rel, b) => `${b}の${{ 'left of': '左', 'right of': '右', above: '上', below: '下' }[rel]}に${a}`,
  style: (s) => `${s}スタイル`,
  count: (n, o) => `${o}が${n}個`,
});

export const zh = cjkLexicon({
  colors: { red: '红色', orange: '橙色', yellow: '黄色', green: '绿色', blue: '蓝色', purple: '紫色', pink: '粉色', brown: '棕色', black: '黑色', white: '白色', gray: '灰色', cyan: '青色' },
  backgrounds: { white: '白色', cream: '米色', 'light gray': '浅灰色', 'light blue': '浅蓝色', 'light green': '浅绿色', 'light pink': '浅粉色', 'light yellow': '浅黄色', black: '黑色' },
  shapes: { circle: '圆形', square: '正方形', triangle: '三角形', star: '星星', heart: '爱心', diamond: '菱形', hexagon: '六边形', pentagon: '五边形', crescent: '新月', cross: '十字', ring: '圆环', arrow: '箭头', hourglass: '沙漏', infinity: '无穷符号', 'lightning bolt': '闪电', bowtie: '领结' },
  patterns: { solid: '纯色', striped: '条纹', 'polka-dot': '波点', checkered: '格子', gradient: '渐变', rainbow: '彩虹色', 'tie-dye': '扎染' },
  faces: { sans: '黑体', serif: '宋体', monospace: '等宽字体', cursive: '手写体' },
  of: '的',
  and: '和',
  comma: '，',
  wearing: (acc) => `戴着${acc}的`,
  word: (t) => `文字“${t}”`,
  number: (t) => `数字${t}`,
  onBackground: (bg) => `${bg}背景上的`,
  grid: (r, c) => `${r}×${c}网格`,
  gridLongIntro: (r, c, n, bg) => `一张正方形图片，${bg}背景上有一个${r}行${c}列的网格，共${n}个物体。从左到右，从上到下。清单：`,
  relation: (a, rel, b) => `${a}在${b}的${{ 'left of': '左边', 'right of': '右边', above: '上面', below: '下面' }[rel]}`,
  style: (s) => `${s}风格`,
  count: (n, o) => `${n}个${o}`,
});
