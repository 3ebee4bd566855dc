import { COLOR_NAMES, type ColorName } from '../../world/catalog/colors.ts';
import { FIXED_COLOR_PATTERNS, PATTERN_NAMES, TWO_COLOR_PATTERNS, type PatternName } from '../../world/catalog/patterns.ts';
import { renderScene } from '../../world/render/renderer.ts';
import { Random } from '../../world/random.ts';
import type { ObjectSpec } from '../../world/scene/sampler.ts';
import { cellBox, type Box, type Scene, type SceneObject } from '../../world/scene/scene.ts';
import { alongRay, nearestColor } from './color-names.ts';
import { BOX_PAD } from './features.ts';
import { referenceImage } from './degrade.ts';
import { boxRect, cropBackground, canvasPixels, foreground, foregroundMap, type Background, type Rgb, type Rgba } from './image.ts';

/**
 * A fill's texture in a few numbers, from the object's interior pixels each named by its nearest color:
 *   shares of the four most common colors, and how many hold 8% or more (rainbow and tie-dye: many)
 *   smooth: neighbour pairs that differ a little (gradients, tie-dye); edges: ones that differ a lot
 *   color changes along rows, columns and both diagonals (diagonal stripes change along one diagonal
 *   only; checks along rows and columns; dots along all four)
 *   row and column purity (rainbow bands are pure along rows)
 *   log size (patterns coarsen with the object: at 16 px, dots are a few pixels)
 */
export type PatternDescriptor = number[];

/**
 * The descriptor of the fill at `box`, from its interior pixels; null when too few show. `loose`: from
 * every solid pixel, edges included, for fills too thin to have an interior (small text, an 8×8
 * infinity), read against references read the same way.
 */
export function patternDescriptor(image: Rgba, box: Box, bg: Background, loose = false): PatternDescriptor | null {
  const rect = boxRect(box, image, BOX_PAD);
  bg = cropBackground(image, rect, bg);
  // Interior pixels only: an antialiased edge blends the fill with the background into colors of its own.
  const solid = new Uint8Array(rect.w * rect.h);
  const at = (x: number, y: number) => ((rect.y + y) * image.width + rect.x + x) * 4;
  for (let y = 0; y < rect.h; y++) {
    for (let x = 0; x < rect.w; x++) {
      const i = at(x, y);
      solid[y * rect.w + x] = foreground(image.data[i], image.data[i + 1], image.data[i + 2], bg) >= 0.9 ? 1 : 0;
    }
  }
  const isSolid = (x: number, y: number) => x >= 0 && y >= 0 && x < rect.w && y < rect.h && solid[y * rect.w + x] === 1;
  const labels = new Int8Array(rect.w * rect.h).fill(-1);
  const index = new Map(COLOR_NAMES.map((c, i) => [c, i]));
  const counts = new Array<number>(COLOR_NAMES.length).fill(0);
  for (let y = 0; y < rect.h; y++) {
    for (let x = 0; x < rect.w; x++) {
      if (!isSolid(x, y) || (!loose && (!isSolid(x - 1, y) || !isSolid(x + 1, y) || !isSolid(x, y - 1) || !isSolid(x, y + 1)))) continue;
      const i = at(x, y);
      const label = index.get(nearestColor([image.data[i], image.data[i + 1], image.data[i + 2]]) as ColorName)!;
      labels[y * rect.w + x] = label;
      counts[label]++;
    }
  }
  const total = counts.reduce((a, b) => a + b, 0);
  if (total < MIN_INTERIOR) return null;
  const shares = counts.map((c) => c / total).sort((a, b) => b - a);
  const steps = [
    [1, 0],
    [0, 1],
    [1, 1],
    [1, -1],
  ];
  const changes = [0, 0, 0, 0];
  const pairs = [0, 0, 0, 0];
  let smooth = 0;
  let edges = 0;
  let all = 0;
  for (let y = 0; y < rect.h; y++) {
    for (let x = 0; x < rect.w; x++) {
      const a = labels[y * rect.w + x];
      if (a < 0) continue;
      steps.forEach(([dx, dy], k) => {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= rect.w || ny < 0 || ny >= rect.h) return;
        const b = labels[ny * rect.w + nx];
        if (b < 0) return;
        pairs[k]++;
        if (a !== b) changes[k]++;
        const i = at(x, y);
        const j = at(nx, ny);
        const delta = Math.max(Math.abs(image.data[i] - image.data[j]), Math.abs(image.data[i + 1] - image.data[j + 1]), Math.abs(image.data[i + 2] - image.data[j + 2]));
        all++;
        if (delta > 40) edges++;
        else if (delta > 3) smooth++;
      });
    }
  }
  const rate = changes.map((c, k) => c / Math.max(1, pairs[k]));
  return [
    ...shares.slice(0, 4),
    shares.filter((s) => s >= 0.08).length / 6,
    smooth / Math.max(1, all),
    edges / Math.max(1, all),
    ...rate,
    Math.abs(rate[2] - rate[3]),
    purity(labels, rect.w, rect.h, true),
    purity(labels, rect.w, rect.h, false),
    Math.log2(Math.max(rect.w, rect.h)) / 4,
  ];
}

/**
 * The share of an object's pixels that are its main color blended with the background (as
 * antialiased edges are), that is, on the ray from the background color through the main color:
 * close to 1 for a solid fill at any size, however thin its strokes.
 */
export function solidity(image: Rgba, box: Box, bg: Background): number {
  const rect = boxRect(box, image, BOX_PAD);
  bg = cropBackground(image, rect, bg);
  // Faint flat parts count (foregroundMap): white dots on a black fill, on white, are not holes.
  const strength = foregroundMap(image, rect, bg);
  const pixels: { p: Rgb; x: number; y: number }[] = [];
  const strong = new Map<ColorName, Rgb[]>();
  for (let y = 0; y < rect.h; y++) {
    for (let x = 0; x < rect.w; x++) {
      const i = ((rect.y + y) * image.width + rect.x + x) * 4;
      const p: Rgb = [image.data[i], image.data[i + 1], image.data[i + 2]];
      const f = strength[y * rect.w + x];
      if (f < 0.5) continue;
      pixels.push({ p, x, y });
      if (f < 0.9) continue;
      const name = nearestColor(p);
      strong.set(name, [...(strong.get(name) ?? []), p]);
    }
  }
  const main = [...strong.values()].sort((a, b) => b.length - a.length)[0];
  if (!main) return 0;
  const c = [0, 1, 2].map((k) => main.reduce((s, p) => s + p[k], 0) / main.length);
  const axis = c.map((v, k) => v - bg.color[k]);
  const tolerance = 20 + 3 * bg.noise;
  // Blends with the background belong at the silhouette's edge (wider after a blur); inside it they
  // are a second color on the same ray: white dots on black read on white, a gradient into white.
  const reach = 2 + Math.round(2 * bg.degraded);
  const nearEdge = (x: number, y: number) => {
    for (let dy = -reach; dy <= reach; dy++) {
      for (let dx = -reach; dx <= reach; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= rect.w || ny >= rect.h || strength[ny * rect.w + nx] < 0.5) return true;
      }
    }
    return false;
  };
  let explained = 0;
  for (const { p, x, y } of pixels) {
    // The whole ray from the background through the main color: the most common named color of a thin
    // stroke may itself be a blend (gray, for black text on white).
    const { t, off } = alongRay(p, bg.color, axis, 0);
    if (off >= tolerance) continue;
    if (t >= CORE || nearEdge(x, y)) explained++;
  }
  return explained / pixels.length;
}

/** Position on the ray (1: the main color) from which a pixel is the fill itself, wherever it is. */
const CORE = 0.75;

/** From this solidity on, a fill reads as solid whatever its texture descriptor says. */
export const SOLID_FILL = 0.9;

/** Interior pixels needed to judge a texture. */
const MIN_INTERIOR = 16;

/** Mean share of each row's (or column's) most common label, weighted by its labelled pixels. */
function purity(labels: Int8Array, w: number, h: number, rows: boolean): number {
  let sum = 0;
  let n = 0;
  for (let a = 0; a < (rows ? h : w); a++) {
    const counts = new Map<number, number>();
    let line = 0;
    for (let b = 0; b < (rows ? w : h); b++) {
      const label = rows ? labels[a * w + b] : labels[b * w + a];
      if (label < 0) continue;
      counts.set(label, (counts.get(label) ?? 0) + 1);
      line++;
    }
    if (line === 0) continue;
    sum += Math.max(...counts.values());
    n += line;
  }
  return n ? sum / n : 0;
}

/** Labelled descriptors of rendered pattern fills (interior and loose), and the scale of each dimension. */
export interface PatternBank {
  interior: PatternSet;
  loose: PatternSet;
}

export interface PatternSet {
  entries: { pattern: PatternName; descriptor: PatternDescriptor }[];
  scale: number[];
}

/**
 * Renders every pattern (and plain solid fills) on shapes, a word and an emoji, in random color pairs
 * and at every grid size the world and its evaluations draw (1×1 to 8×8, 3×3 and 6×6 included: a
 * pattern's cells coarsen with the object, so a 42 px cell's stripes are not a 32 px cell's), as
 * drawn or `blurred` (see BankOptions). A few seconds; kept in memory.
 */
export async function buildPatternBank(blurred = false, seed = 7): Promise<PatternBank> {
  const rng = new Random(seed);
  const interior: PatternSet['entries'] = [];
  const loose: PatternSet['entries'] = [];
  const bodies: ObjectSpec[] = [
    { kind: 'shape', shape: 'square' },
    { kind: 'shape', shape: 'circle' },
    { kind: 'shape', shape: 'heart' },
    { kind: 'text', text: 'OpenAI', face: 'sans', script: 'latin' },
    { kind: 'emoji', concept: 'cat-face' },
  ];
  for (const grid of PATTERN_GRIDS) {
    const objects: SceneObject[] = [];
    for (const pattern of PATTERN_NAMES) {
      for (let k = 0; k < 3; k++) {
        for (const body of bodies) {
          const color = rng.pick(COLOR_NAMES.filter((c) => c !== 'white'));
          const paint = FIXED_COLOR_PATTERNS.includes(pattern) ? { pattern } : TWO_COLOR_PATTERNS.includes(pattern) ? { pattern, color, color2: rng.pick(COLOR_NAMES.filter((c) => c !== color)) } : { pattern, color };
          objects.push({ ...body, ...paint } as SceneObject);
        }
      }
    }
    for (let start = 0; start < objects.length; start += grid * grid) {
      const chunk = objects.slice(start, start + grid * grid).map((o, i) => {
        const cell = { row: Math.floor(i / grid), col: i % grid };
        return { ...o, cell, box: cellBox(cell, grid, grid) };
      });
      const scene: Scene = { size: 128, background: 'white', style: rng.pick(['noto', 'twemoji', 'openmoji', 'fluent-flat', 'fluent-3d'] as const), layout: { kind: 'grid', rows: grid, cols: grid }, objects: chunk };
      const { image, bg } = referenceImage(canvasPixels(await renderScene(scene)), blurred);
      for (const o of chunk) {
        const pattern = o.pattern ?? 'solid';
        const descriptor = patternDescriptor(image, o.box, bg);
        if (descriptor) interior.push({ pattern, descriptor });
        const thin = patternDescriptor(image, o.box, bg, true);
        if (thin) loose.push({ pattern, descriptor: thin });
      }
    }
  }
  return { interior: withScale(interior), loose: withScale(loose) };
}

/** Grid sizes of the pattern references (3 and 6 last: the others keep the random colors they had). */
export const PATTERN_GRIDS = [1, 2, 4, 8, 3, 6];

function withScale(entries: PatternSet['entries']): PatternSet {
  const dims = entries[0].descriptor.length;
  const scale = Array.from({ length: dims }, (_, d) => {
    const values = entries.map((e) => e.descriptor[d]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 1;
  });
  return { entries, scale };
}

/** The pattern of the nearest references (5 of them vote, nearer ones more). */
export function classifyPattern(bank: PatternSet, descriptor: PatternDescriptor): PatternName {
  return vote(nearestPatterns(bank, descriptor));
}

/**
 * The pattern of a fill read both ways, from its interior and from all its solid pixels (either may be
 * missing): the 5 nearest of both readings' nearest references vote. A small cell's interior is a few
 * dozen pixels, too few to tell stripes from checks alone, while its loose reading mixes in the edges;
 * each reading's distances are in its own set's scale, so the reading closer to its references leads.
 */
export function classifyFill(bank: PatternBank, interior: PatternDescriptor | null, loose: PatternDescriptor | null): PatternName | undefined {
  const nearest = [...(interior ? nearestPatterns(bank.interior, interior) : []), ...(loose ? nearestPatterns(bank.loose, loose) : [])];
  return nearest.length ? vote(nearest.sort((a, b) => a.d - b.d).slice(0, VOTERS)) : undefined;
}

const VOTERS = 5;

function nearestPatterns(bank: PatternSet, descriptor: PatternDescriptor): { pattern: PatternName; d: number }[] {
  return bank.entries
    .map((e) => ({ pattern: e.pattern, d: Math.sqrt(e.descriptor.reduce((s, v, i) => s + ((v - descriptor[i]) / bank.scale[i]) ** 2, 0)) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, VOTERS);
}

function vote(nearest: { pattern: PatternName; d: number }[]): PatternName {
  const votes = new Map<PatternName, number>();
  for (const n of nearest) votes.set(n.pattern, (votes.get(n.pattern) ?? 0) + 1 / (n.d + 0.1));
  return [...votes].sort((a, b) => b[1] - a[1])[0][0];
}
