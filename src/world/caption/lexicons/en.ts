import { joinList, type Lexicon, type ObjectWords } from '../lexicon.ts';

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

function article(phrase: string): string {
  if (/^(the |a |an |pair |\d|")/.test(phrase)) return phrase.startsWith('pair ') ? `a ${phrase}` : phrase;
  return /^[aeiou]/i.test(phrase) && !/^(uni|one|eu)/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

export function pluralize(noun: string): string {
  if (noun.startsWith('pair of ')) return `pairs of ${noun.slice(8)}`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}

function colorWords(lex: Lexicon, o: ObjectWords): string {
  if (o.pattern === 'rainbow') return 'rainbow-colored';
  if (o.pattern === 'tie-dye') return 'tie-dye';
  const colors = o.color2 ? `${lex.colors[o.color!]} and ${lex.colors[o.color2]}` : o.color ? lex.colors[o.color] : '';
  const pattern = o.pattern && o.pattern !== 'solid' ? lex.patterns[o.pattern] : '';
  return [colors, pattern].filter(Boolean).join(' ');
}

export const en: Lexicon = {
  colors: { red: 'red', orange: 'orange', yellow: 'yellow', green: 'green', blue: 'blue', purple: 'purple', pink: 'pink', brown: 'brown', black: 'black', white: 'white', gray: 'gray', cyan: 'cyan' },
  backgrounds: { white: 'white', cream: 'cream', 'light gray': 'light gray', 'light blue': 'light blue', 'light green': 'light green', 'light pink': 'light pink', 'light yellow': 'light yellow', black: 'black' },
  shapes: { circle: 'circle', square: 'square', triangle: 'triangle', star: 'star', heart: 'heart', diamond: 'diamond', hexagon: 'hexagon', pentagon: 'pentagon', crescent: 'crescent', cross: 'cross', ring: 'ring', arrow: 'arrow', hourglass: 'hourglass', infinity: 'infinity sign', 'lightning bolt': 'lightning bolt', bowtie: 'bowtie' },
  patterns: { solid: 'solid', striped: 'striped', 'polka-dot': 'polka dot', checkered: 'checkered', gradient: 'gradient', rainbow: 'rainbow', 'tie-dye': 'tie-dye' },
  faces: { sans: 'sans-serif', serif: 'serif', monospace: 'monospace', cursive: 'cursive' },
  textName(text, isNumber, variant) {
    if (isNumber && variant % 2 === 0) return `the number ${text}`;
    return variant % 3 === 2 ? `"${text}"` : `the word "${text}"`;
  },
  object(o, variant) {
    const size = o.size ? `${o.size} ` : '';
    const colors = colorWords(this, o);
    if (o.kind === 'text') {
      const face = o.face && o.face !== 'sans' ? (variant % 2 ? ` written in ${this.faces[o.face]}` : ` in ${this.faces[o.face]} letters`) : '';
      return colors ? `${o.name} in ${colors}${face}` : `${o.name}${face}`;
    }
    const core = article(`${size}${colors ? `${colors} ` : ''}${o.name}`);
    if (!o.accessory) return core;
    const acc = `${o.accessory.color ? `${this.colors[o.accessory.color]} ` : ''}${o.accessory.name}`;
    return `${core} ${variant % 2 ? 'wearing' : 'with'} ${article(acc)}`;
  },
  single(object, background, variant) {
    const bg = background ? ` on a ${background} background` : '';
    return [`${object}${bg}`, `an image of ${object}${bg}`, `a picture showing ${object}${bg}`][variant % 3];
  },
  gridShort(rows, cols, items, background, variant) {
    const bg = background ? ` on ${article(background)} background` : '';
    return variant % 2 ? `a ${rows} by ${cols} grid${bg}: ${joinList(items, 'and')}` : `${rows}×${cols} grid of ${joinList(items, 'and')}${bg}`;
  },
  gridLong(rows, cols, items, background, variant) {
    const list = items.map((item, i) => `${i + 1}. ${item}`).join(' ');
    const intro = variant % 2
      ? `A square image containing a ${rows} row by ${cols} column grid containing ${items.length} objects on a ${background} background.`
      : `An image with ${items.length} objects in ${rows} rows and ${cols} columns on a ${background} background.`;
    return `${intro} Go from left to right, top to bottom. Here's the list: ${list}`;
  },
  count(n, o, variant) {
    const one = this.object({ ...o, accessory: undefined }, variant).replace(/^(a|an) /, '');
    const plural = o.kind === 'text' ? `${NUMBER_WORDS[n]} copies of ${one}` : `${variant % 2 ? NUMBER_WORDS[n] : n} ${n === 1 ? one : pluralize(one)}`;
    return variant % 3 === 2 ? `exactly ${plural}` : plural;
  },
  relations(clauses, variant) {
    const parts = clauses.map(([a, rel, b]) => `${a} ${rel === 'left of' || rel === 'right of' ? `to the ${rel}` : rel} ${b}`);
    return variant % 2 ? joinList(parts, 'and') : parts.join('; ');
  },
  inStyle(caption, style, variant) {
    return variant % 2 ? `${caption}, in ${style} style` : `${style} style: ${caption}`;
  },
};
