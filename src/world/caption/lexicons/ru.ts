import { joinList, type Lexicon, type ObjectWords } from '../lexicon.ts';

/** Russian: colors in the genitive with "цвета" ("кошка оранжевого цвета") need no agreement. */
const colorGenitive: Lexicon['colors'] = { red: 'красного', orange: 'оранжевого', yellow: 'жёлтого', green: 'зелёного', blue: 'синего', purple: 'фиолетового', pink: 'розового', brown: 'коричневого', black: 'чёрного', white: 'белого', gray: 'серого', cyan: 'голубого' };

function attrs(o: ObjectWords, lex: Lexicon): string {
  if (o.pattern === 'rainbow') return ' радужной расцветки';
  if (o.pattern === 'tie-dye') return ' в стиле тай-дай';
  const c = o.color2 ? `${colorGenitive[o.color!]} и ${colorGenitive[o.color2]} цвета` : o.color ? `${colorGenitive[o.color]} цвета` : '';
  const p = o.pattern && o.pattern !== 'solid' ? ` с узором «${lex.patterns[o.pattern]}»` : '';
  return `${c ? ` ${c}` : ''}${p}`;
}

export const ru: Lexicon = {
  colors: colorGenitive,
  backgrounds: { white: 'белом', cream: 'кремовом', 'light gray': 'светло-сером', 'light blue': 'светло-голубом', 'light green': 'светло-зелёном', 'light pink': 'светло-розовом', 'light yellow': 'светло-жёлтом', black: 'чёрном' },
  shapes: { circle: 'круг', square: 'квадрат', triangle: 'треугольник', star: 'звезда', heart: 'сердце', diamond: 'ромб', hexagon: 'шестиугольник', pentagon: 'пятиугольник', crescent: 'полумесяц', cross: 'крест', ring: 'кольцо', arrow: 'стрелка', hourglass: 'песочные часы', infinity: 'знак бесконечности', 'lightning bolt': 'молния', bowtie: 'галстук-бабочка' },
  patterns: { solid: 'однотонный', striped: 'полоска', 'polka-dot': 'горошек', checkered: 'клетка', gradient: 'градиент', rainbow: 'радуга', 'tie-dye': 'тай-дай' },
  faces: { sans: 'без засечек', serif: 'с засечками', monospace: 'моноширинным шрифтом', cursive: 'прописью' },
  textName: (text, isNumber) => (isNumber ? `число ${text}` : `слово «${text}»`),
  object(o) {
    const face = o.kind === 'text' && o.face && o.face !== 'sans' ? ` (${this.faces[o.face]})` : '';
    const acc = o.accessory ? `, на нём ${o.accessory.name}${o.accessory.color ? ` ${colorGenitive[o.accessory.color]} цвета` : ''}` : '';
    return `${o.name}${attrs(o, this)}${face}${acc}`;
  },
  single: (object, background, variant) => (variant % 2 ? `изображение: ${object}` : object) + (background ? ` на ${background} фоне` : ''),
  gridShort: (rows, cols, items, background) => `сетка ${rows}×${cols}${background ? ` на ${background} фоне` : ''}: ${joinList(items, 'и')}`,
  gridLong: (rows, cols, items, background) =>
    `Квадратное изображение с сеткой из ${rows} строк и ${cols} столбцов, ${items.length} объектов на ${background} фоне. Слева направо, сверху вниз. Список: ${items.map((item, i) => `${i + 1}. ${item}`).join(' ')}`,
  count(n, o) {
    return `${n} × ${this.object({ ...o, accessory: undefined }, 0)}`;
  },
  relations: (clauses) => joinList(clauses.map(([a, rel, b]) => `${a} ${{ 'left of': 'слева от', 'right of': 'справа от', above: 'над', below: 'под' }[rel]}: ${b}`), 'и', '; '),
  inStyle: (caption, style) => `${caption}, в стиле ${style}`,
};
