import { joinList, type Lexicon, type ObjectWords } from '../lexicon.ts';

/**
 * Spanish and French share one grammar here: attributes follow the noun as invariant phrases
 * ("de color azul", "à motif rayé"), which sidesteps gender agreement with emoji names.
 */
interface RomanceWords {
  colors: Lexicon['colors'];
  backgrounds: Lexicon['backgrounds'];
  shapes: Lexicon['shapes'];
  patterns: Lexicon['patterns'];
  faces: Lexicon['faces'];
  and: string;
  ofColor: string;
  withPattern: string;
  rainbow: string;
  tieDye: string;
  wearing: string;
  word: string;
  number: string;
  writtenIn: string;
  onBackground: (bg: string) => string;
  imageOf: string;
  grid: (rows: number, cols: number) => string;
  gridLongIntro: (rows: number, cols: number, n: number, bg: string) => string;
  order: string;
  list: string;
  relation: Record<'left of' | 'right of' | 'above' | 'below', string>;
  style: (style: string) => string;
}

export function romanceLexicon(w: RomanceWords): Lexicon {
  const attrs = (o: ObjectWords): string => {
    if (o.pattern === 'rainbow') return ` ${w.rainbow}`;
    if (o.pattern === 'tie-dye') return ` ${w.tieDye}`;
    const colors = o.color2 ? `${w.colors[o.color!]} ${w.and} ${w.colors[o.color2]}` : o.color ? w.colors[o.color] : '';
    const pattern = o.pattern && o.pattern !== 'solid' ? ` ${w.withPattern} ${w.patterns[o.pattern]}` : '';
    return `${colors ? ` ${w.ofColor} ${colors}` : ''}${pattern}`;
  };
  return {
    colors: w.colors,
    backgrounds: w.backgrounds,
    shapes: w.shapes,
    patterns: w.patterns,
    faces: w.faces,
    textName: (text, isNumber) => (isNumber ? `${w.number} ${text}` : `${w.word} "${text}"`),
    object(o) {
      const face = o.kind === 'text' && o.face && o.face !== 'sans' ? ` ${w.writtenIn} ${w.faces[o.face]}` : '';
      const acc = o.accessory ? ` ${w.wearing} ${o.accessory.name}${o.accessory.color ? ` ${w.ofColor} ${w.colors[o.accessory.color]}` : ''}` : '';
      return `${o.name}${attrs(o)}${face}${acc}`;
    },
    single: (object, background, variant) => (variant % 2 ? `${w.imageOf} ${object}` : object) + (background ? ` ${w.onBackground(background)}` : ''),
    gridShort: (rows, cols, items, background) => `${w.grid(rows, cols)}${background ? ` ${w.onBackground(background)}` : ''}: ${joinList(items, w.and)}`,
    gridLong: (rows, cols, items, background) =>
      `${w.gridLongIntro(rows, cols, items.length, background)} ${w.order} ${w.list} ${items.map((item, i) => `${i + 1}. ${item}`).join(' ')}`,
    count(n, o) {
      return `${n} × ${this.object({ ...o, accessory: undefined }, 0)}`;
    },
    relations: (clauses) => joinList(clauses.map(([a, rel, b]) => `${a} ${w.relation[rel]} ${b}`), w.and, '; '),
    inStyle: (caption, style) => `${caption}, ${w.style(style)}`,
  };
}

export const es = romanceLexicon({
  colors: { red: 'rojo', orange: 'naranja', yellow: 'amarillo', green: 'verde', blue: 'azul', purple: 'morado', pink: 'rosa', brown: 'marrón', black: 'negro', white: 'blanco', gray: 'gris', cyan: 'cian' },
  backgrounds: { white: 'blanco', cream: 'crema', 'light gray': 'gris claro', 'light blue': 'azul claro', 'light green': 'verde claro', 'light pink': 'rosa claro', 'light yellow': 'amarillo claro', black: 'negro' },
  shapes: { circle: 'círculo', square: 'cuadrado', triangle: 'triángulo', star: 'estrella', heart: 'corazón', diamond: 'rombo', hexagon: 'hexágono', pentagon: 'pentágono', crescent: 'media luna', cross: 'cruz', ring: 'anillo', arrow: 'flecha', hourglass: 'reloj de arena', infinity: 'signo de infinito', 'lightning bolt': 'rayo', bowtie: 'pajarita' },
  patterns: { solid: 'liso', striped: 'rayas', 'polka-dot': 'lunares', checkered: 'cuadros', gradient: 'degradado', rainbow: 'arcoíris', 'tie-dye': 'tie-dye' },
  faces: { sans: 'sans serif', serif: 'con serifa', monospace: 'monoespaciada', cursive: 'cursiva' },
  and: 'y',
  ofColor: 'de color',
  withPattern: 'con patrón de',
  rainbow: 'con los colores del arcoíris',
  tieDye: 'con estampado tie-dye',
  wearing: 'con',
  word: 'la palabra',
  number: 'el número',
  writtenIn: 'escrita en letra',
  onBackground: (bg) => `sobre fondo ${bg}`,
  imageOf: 'una imagen de',
  grid: (r, c) => `una cuadrícula de ${r} por ${c}`,
  gridLongIntro: (r, c, n, bg) => `Una imagen cuadrada con una cuadrícula de ${r} filas por ${c} columnas que contiene ${n} objetos sobre fondo ${bg}.`,
  order: 'De izquierda a derecha, de arriba abajo.',
  list: 'La lista:',
  relation: { 'left of': 'a la izquierda de', 'right of': 'a la derecha de', above: 'encima de', below: 'debajo de' },
  style: (s) => `en estilo ${s}`,
});

export const fr = romanceLexicon({
  colors: { red: 'rouge', orange: 'orange', yellow: 'jaune', green: 'vert', blue: 'bleu', purple: 'violet', pink: 'rose', brown: 'marron', black: 'noir', white: 'blanc', gray: 'gris', cyan: 'cyan' },
  backgrounds: { white: 'blanc', cream: 'crème', 'light gray': 'gris clair', 'light blue': 'bleu clair', 'light green': 'vert clair', 'light pink': 'rose clair', 'light yellow': 'jaune clair', black: 'noir' },
  shapes: { circle: 'cercle', square: 'carré', triangle: 'triangle', star: 'étoile', heart: 'cœur', diamond: 'losange', hexagon: 'hexagone', pentagon: 'pentagone', crescent: 'croissant', cross: 'croix', ring: 'anneau', arrow: 'flèche', hourglass: 'sablier', infinity: 'symbole infini', 'lightning bolt': 'éclair', bowtie: 'nœud papillon' },
  patterns: { solid: 'uni', striped: 'rayé', 'polka-dot': 'à pois', checkered: 'à carreaux', gradient: 'dégradé', rainbow: 'arc-en-ciel', 'tie-dye': 'tie-dye' },
  faces: { sans: 'sans empattement', serif: 'à empattement', monospace: 'à chasse fixe', cursive: 'cursive' },
  and: 'et',
  ofColor: 'de couleur',
  withPattern: 'à motif',
  rainbow: 'aux couleurs de l’arc-en-ciel',
  tieDye: 'motif tie-dye',
  wearing: 'avec',
  word: 'le mot',
  number: 'le nombre',
  writtenIn: 'écrit en écriture',
  onBackground: (bg) => `sur fond ${bg}`,
  imageOf: 'une image de',
  grid: (r, c) => `une grille de ${r} sur ${c}`,
  gridLongIntro: (r, c, n, bg) => `Une image carrée avec une grille de ${r} lignes et ${c} colonnes contenant ${n} objets sur fond ${bg}.`,
  order: 'De gauche à droite, de haut en bas.',
  list: 'La liste :',
  relation: { 'left of': 'à gauche de', 'right of': 'à droite de', above: 'au-dessus de', below: 'en dessous de' },
  style: (s) => `style ${s}`,
});
