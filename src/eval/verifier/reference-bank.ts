import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { vocabulary } from '../../world/catalog/core-vocabulary.ts';
import { STYLE_IDS, type StyleId } from '../../world/catalog/emoji-styles.ts';
import { ACCESSORY_IDS, type AccessoryId } from '../../world/catalog/accessories.ts';
import { SHAPE_NAMES } from '../../world/catalog/shapes.ts';
import { renderScene } from '../../world/render/renderer.ts';
import { cellBox, type Scene, type SceneObject } from '../../world/scene/scene.ts';
import { BLOCK_SIZES, BLOCKS, extractFeatures, type BlockName } from './features.ts';
import { canvasPixels, estimateBackground } from './image.ts';
import { textCandidates } from './text-candidates.ts';

/** Bump when the features or the bank's recipe change: it is part of the cache key. */
export const BANK_VERSION = 1;

/** One reference rendering: what was drawn, and how. */
export interface Reference {
  kind: 'emoji' | 'shape' | 'text';
  /** Concept id, shape name, or the text itself. */
  label: string;
  style?: StyleId;
  /** Emoji only: what it wears. */
  accessory?: AccessoryId;
  /** Text only: "face/script" it was written in. */
  font?: string;
  /** Drawn in one cell of a grid×grid layout. */
  grid: number;
  /** Drawn on the black background. */
  dark: boolean;
  /** Side in pixels of the square its features were taken from. */
  side: number;
}

/** Reference features as one row-major matrix per block: row r belongs to refs[r]. */
export interface ReferenceBank {
  key: string;
  refs: Reference[];
  blocks: Record<BlockName, Float32Array>;
}

export interface BankOptions {
  vocabulary: 'core' | 'full';
  /** Only these concepts (tests use a handful); all of the vocabulary when absent. */
  concepts?: string[];
  /** Grid sizes drawn: cells of 107 px (1×1) down to 13 px (8×8). */
  grids: number[];
  /** Grid sizes also drawn on the black background. */
  darkGrids: number[];
  /** Grid sizes at which every wearer is also drawn wearing every accessory. */
  accessoryGrids: number[];
  /** Where built banks are kept; null builds in memory every time. */
  cacheDir: string | null;
}

export const DEFAULT_BANK: BankOptions = {
  vocabulary: 'core',
  grids: [1, 2, 3, 4, 5, 6, 8],
  darkGrids: [1, 2, 4, 8],
  accessoryGrids: [1, 2, 4, 8],
  cacheDir: join(homedir(), '.cache', 'tessera', 'verifier'),
};

type Spec = { ref: Omit<Reference, 'side' | 'grid' | 'dark'>; object: Omit<SceneObject, 'box' | 'cell'>; style: StyleId };

/**
 * Subgroups whose emoji the sampler lets wear accessories (the WEARERS of world/scene/sampler.ts,
 * which does not export them). A wearer shrinks under its hat, so it needs references of its own.
 */
const WEARER_SUBGROUPS = new Set(['animal-mammal', 'animal-bird', 'animal-reptile', 'animal-amphibian', 'cat-face', 'monkey-face', 'face-smiling', 'face-affection']);

function concepts(options: BankOptions) {
  const all = vocabulary(options.vocabulary);
  return options.concepts ? all.filter((c) => options.concepts!.includes(c.id)) : all;
}

/** Everything the bank draws once per grid size: every concept in every style, every shape, every word in every font. */
function specs(options: BankOptions): Spec[] {
  const out: Spec[] = [];
  for (const style of STYLE_IDS) {
    for (const c of concepts(options)) out.push({ ref: { kind: 'emoji', label: c.id, style }, object: { kind: 'emoji', concept: c.id }, style });
  }
  for (const shape of SHAPE_NAMES) out.push({ ref: { kind: 'shape', label: shape }, object: { kind: 'shape', shape, color: 'blue' }, style: 'noto' });
  for (const t of textCandidates()) {
    out.push({ ref: { kind: 'text', label: t.text, font: `${t.face}/${t.script}` }, object: { kind: 'text', ...t, color: 'blue' }, style: 'noto' });
  }
  return out;
}

/** Every wearer in every style wearing every accessory (in its own colors). */
function accessorySpecs(options: BankOptions): Spec[] {
  const out: Spec[] = [];
  for (const style of STYLE_IDS) {
    for (const c of concepts(options).filter((c) => WEARER_SUBGROUPS.has(c.subgroup))) {
      for (const accessory of ACCESSORY_IDS) {
        out.push({ ref: { kind: 'emoji', label: c.id, style, accessory }, object: { kind: 'emoji', concept: c.id, accessory: { concept: accessory } }, style });
      }
    }
  }
  return out;
}

export function bankKey(options: BankOptions): string {
  const { vocabulary, grids, darkGrids, accessoryGrids } = options;
  const recipe = { BANK_VERSION, vocabulary, grids, darkGrids, accessoryGrids, specs: [...specs(options), ...accessorySpecs(options)].map((s) => s.ref) };
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
}

/** The bank for these options: read from the cache when there, else built (about a minute) and cached. */
export async function loadOrBuildBank(options: BankOptions = DEFAULT_BANK, log: (line: string) => void = () => {}): Promise<ReferenceBank> {
  const key = bankKey(options);
  const path = options.cacheDir ? join(options.cacheDir, `${key}.bin`) : null;
  if (path && existsSync(path)) return readBank(path);
  const started = Date.now();
  const bank = await buildBank(options, key);
  log(`verifier: built a reference bank of ${bank.refs.length} renders in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (path) writeBank(path, bank);
  return bank;
}

export async function buildBank(options: BankOptions, key = bankKey(options)): Promise<ReferenceBank> {
  const all = specs(options);
  const worn = accessorySpecs(options);
  const refs: Reference[] = [];
  const rows = Object.fromEntries(BLOCKS.map((b) => [b, [] as Float32Array[]])) as Record<BlockName, Float32Array[]>;
  // Emoji lose their dark outlines on black, and edges of fills turn dark: black gets references of its own.
  const passes = [
    ...options.grids.map((grid) => ({ grid, dark: false, todo: all })),
    ...options.darkGrids.map((grid) => ({ grid, dark: true, todo: all })),
    ...options.accessoryGrids.map((grid) => ({ grid, dark: false, todo: worn })),
  ];
  for (const { grid, dark, todo } of passes) {
    const perScene = grid * grid;
    for (let start = 0; start < todo.length; start += perScene) {
      const chunk = todo.slice(start, start + perScene);
      // One style per scene: an emoji object names its own style.
      const objects = chunk.map((s, i) => {
        const cell = { row: Math.floor(i / grid), col: i % grid };
        return { ...s.object, ...(s.object.kind === 'emoji' ? { style: s.style } : {}), cell, box: cellBox(cell, grid, grid) } as SceneObject;
      });
      const scene: Scene = { size: 128, background: dark ? 'black' : 'white', style: 'noto', layout: { kind: 'grid', rows: grid, cols: grid }, objects };
      const image = canvasPixels(await renderScene(scene));
      const bg = estimateBackground(image);
      objects.forEach((object, i) => {
        const f = extractFeatures(image, object.box, bg);
        refs.push({ ...chunk[i].ref, grid, dark, side: f.side });
        for (const b of BLOCKS) rows[b].push(f[b]);
      });
    }
  }
  const blocks = {} as Record<BlockName, Float32Array>;
  for (const b of BLOCKS) {
    blocks[b] = new Float32Array(refs.length * BLOCK_SIZES[b]);
    rows[b].forEach((row, r) => blocks[b].set(row, r * BLOCK_SIZES[b]));
  }
  return { key, refs, blocks };
}

/**
 * File format: "TVB1", u32 length of a JSON header {key, refs}, the header, then per block (in BLOCKS
 * order) one f32 scale per row followed by the rows as int8 (row / scale · 127). Int8 keeps the
 * core bank near 30 MB; the rounding moves cosines by well under 0.01.
 */
function writeBank(path: string, bank: ReferenceBank): void {
  const header = Buffer.from(JSON.stringify({ key: bank.key, refs: bank.refs }));
  const parts: Buffer[] = [Buffer.from('TVB1'), u32(header.length), header];
  for (const b of BLOCKS) {
    const size = BLOCK_SIZES[b];
    const n = bank.refs.length;
    const scales = new Float32Array(n);
    const q = new Int8Array(n * size);
    for (let r = 0; r < n; r++) {
      let max = 1e-9;
      for (let i = 0; i < size; i++) max = Math.max(max, Math.abs(bank.blocks[b][r * size + i]));
      scales[r] = max;
      for (let i = 0; i < size; i++) q[r * size + i] = Math.round((bank.blocks[b][r * size + i] / max) * 127);
    }
    parts.push(Buffer.from(scales.buffer), Buffer.from(q.buffer));
  }
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, Buffer.concat(parts));
  renameSync(partial, path);
}

function readBank(path: string): ReferenceBank {
  const file = readFileSync(path);
  if (file.toString('latin1', 0, 4) !== 'TVB1') throw new Error(`${path} is not a verifier bank; delete it to rebuild`);
  const headerLength = file.readUInt32LE(4);
  const { key, refs } = JSON.parse(file.toString('utf8', 8, 8 + headerLength)) as { key: string; refs: Reference[] };
  let offset = 8 + headerLength;
  const blocks = {} as Record<BlockName, Float32Array>;
  for (const b of BLOCKS) {
    const size = BLOCK_SIZES[b];
    const n = refs.length;
    const scales = new Float32Array(file.buffer.slice(file.byteOffset + offset, file.byteOffset + offset + n * 4));
    offset += n * 4;
    const q = new Int8Array(file.buffer.slice(file.byteOffset + offset, file.byteOffset + offset + n * size));
    offset += n * size;
    const rows = new Float32Array(n * size);
    for (let r = 0; r < n; r++) for (let i = 0; i < size; i++) rows[r * size + i] = (q[r * size + i] / 127) * scales[r];
    blocks[b] = rows;
  }
  return { key, refs, blocks };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
