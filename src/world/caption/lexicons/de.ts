import { joinList, type Lexicon, type ObjectWords } from '../lexicon.ts';

const colors: Lexicon['colors'] = { red: 'Rot', orange: 'Orange', yellow: 'Gelb', green: 'Grün', blue: 'Blau', purple: 'Lila', pink: 'Rosa', brown: 'Braun', black: 'Schwarz', white: 'Weiß', gray: 'Grau', cyan: 'Cyan' };

/** German: colors as nouns after "in" ("Katze in Orange") avoid adjective endings. */
function attrs(o: ObjectWords, lex: Lexicon): string {
  if (o.pattern === 'rainbow') return ' in Regenbogenfarben';
  if (o.pattern === 'tie-dye') return ' im Batik-Look';
  const c = o.color2 ? `${colors[o.color!]} und ${colors[o.color2]}` : o.color ? colors[o.color] : '';
  const p = o.pattern && o.pattern !== 'solid' ? ` mit ${lex.patterns[o.pattern]}` : '';
  return `${c ? ` in ${c}` : ''}${p}`;
}

export const de: Lexicon = {
  colors,
  backgrounds: { white: 'weißem', cream: 'cremefarbenem', 'light gray': 'hellgrauem', 'light blue': 'hellblauem', 'light green': 'hellgrünem', 'light pink': 'hellrosa', 'light yellow': 'hellgelbem', black: 'schwarzem' },
  shapes: { circle: 'Kreis', square: 'Quadrat', triangle: 'Dreieck', star: 'Stern', heart: 'Herz', diamond: 'Raute', hexagon: 'Sechseck', pentagon: 'Fünfeck', crescent: 'Mondsichel', cross: 'Kreuz', ring: 'Ring', arrow: 'Pfeil', hourglass: 'Sanduhr', infinity: 'Unendlichzeichen', 'lightning bolt': 'Blitz', bowtie: 'Fliege' },
  patterns: { solid: 'einfarbig', striped: 'Streifen', 'polka-dot': 'Punkten', checkered: 'Karomuster', gradient: 'Farbverlauf', rainbow: 'Regenbogen', 'tie-dye': 'Batik' },
  faces: { sans: 'serifenloser Schrift', serif: 'Serifenschrift', monospace: 'Schreibmaschinenschrift', cursive: 'Schreibschrift' },
  textName: (text, isNumber) => (isNumber ? `die Zahl ${text}` : `das Wort „${text}“`),
  object(o) {
    const face = o.kind === 'text' && o.face && o.face !== 'sans' ? ` in ${this.faces[o.face]}` : '';
    const acc = o.accessory ? ` mit ${o.accessory.name}${o.accessory.color ? ` in ${colors[o.accessory.color]}` : ''}` : '';
    return `${o.name}${attrs(o, this)}${face}${acc}`;
  },
  single: (object, background, variant) => (variant % 2 ? `ein Bild: ${object}` : object) + (background ? ` auf ${background} Hintergrund` : ''),
  gridShort: (rows, cols, items, background) => `ein ${rows}×${cols}-Raster${background ? ` auf ${background} Hintergrund` : ''}: ${joinList(items, 'und')}`,
  gridLong: (rows, cols, items, background) =>
    `Ein quadratisches Bild mit einem Raster aus ${rows} Zeilen und ${cols} Spalten mit ${items.length} Objekten auf ${background} Hintergrund. Von links nach rechts, von oben nach unten. Die Liste: ${items.map((item, i) => `${i + 1}. ${item}`).join(' ')}`,
  count(n, o) {
    return `${n} × ${this.object({ ...o, accessory: undefined }, 0)}`;
  },
  relations: (clauses) =>
    joinList(clauses.map(([a, rel, b]) => `${a} ${{ 'left of': 'links von', 'right of': 'rechts von', above: 'über', below: 'unter' }[rel]} ${b}`), 'und', '; '),
  inStyle: (caption, style) => `${caption}, im ${style}-Stil`,
};
