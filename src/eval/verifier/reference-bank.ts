import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { WEARERS } from '../../world/scene/sampler.ts';
import { ACCESSORY_IDS, type AccessoryId } from '../../world/catalog/accessories.ts';
import { vocabulary, type VocabularyName } from '../../world/catalog/core-vocabulary.ts';
import { STYLE_IDS, type StyleId } from '../../world/catalog/emoji-styles.ts';
import { SHAPE_NAMES } from '../../world/catalog/shapes.ts';
import { renderScene } from '../../world/render/renderer.ts';
import type { ObjectSpec } from '../../world/scene/sampler.ts';
import { cellBox, type Scene, type SceneObject } from '../../world/scene/scene.ts';
import { BLOCK_SIZES, BLOCKS, extractFeatures, type BlockName } from './features.ts';
import { degradedReference, referenceImage } from './degrade.ts';
import { canvasPixels, type Rgba } from './image.ts';
import { textCandidates } from './text-candidates.ts';

/** Bump when the features or the bank's recipe change: it is part of the cache key. */
export const BANK_VERSION = 18;

/** One reference rendering: what was drawn, and how. */
export interface Reference {
  kind: 'emoji' | 'shape' | 'text';
  /** Concept id, shape name, or the text itself. */
  label: string;
  /**
   * 'original': an emoji in its own colors. 'solid': one fill (shapes, words) or an emoji recolored
   * gray, whose silhouette is whole (white parts of an emoji vanish on white) and whose luminance is
   * the original's up to an affine map: the reference for recolored and pattern-filled emoji.
   * 'two-tone': an emoji recolored blue and yellow, split as the renderer splits two-color recolors.
   * 'dark-half': an emoji recolored blue and white on white, so that only its darker half shows: what
   * a two-color recolor whose lighter color is the page's leaves (a blue and white ram on white).
   */
  paint: 'original' | 'solid' | 'two-tone' | 'dark-half';
  style?: StyleId;
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

/** One block of every reference: rows as int8 (row r is refs[r]), each with its scale: value = q / 127 · scale. */
export interface BlockMatrix {
  rows: Int8Array;
  scales: Float32Array;
}

export interface ReferenceBank {
  key: string;
  refs: Reference[];
  blocks: Record<BlockName, BlockMatrix>;
}

export interface BankOptions {
  vocabulary: VocabularyName;
  /** Only these concepts (tests use a handful); all of the vocabulary when absent. */
  concepts?: string[];
  /**
   * Grid sizes drawn: cells of 54 px (2×2) down to 13 px (8×8). Larger objects need no references
   * of their own: above ~64 px the 32 px features no longer change with size.
   */
  grids: number[];
  /** Grid sizes also drawn on the black background. */
  darkGrids: number[];
  /** Grid sizes at which every wearer is also drawn wearing every accessory (in its own colors). */
  accessoryGrids: number[];
  /** Grid sizes at which every emoji is also drawn in two colors, and with its lighter half white (on white only). */
  twoToneGrids: number[];
  /**
   * Pass every reference through halveAndRestore (degrade.ts) before reading it: the references for
   * degraded images (a codec's output), read with their thresholds.
   */
  blurred: boolean;
  /**
   * With `blurred`: the codec the images to read went through (the VQ round trip). The references
   * go through it too, instead of halveAndRestore standing in for it, so that a blurred image is
   * compared with references blurred exactly the same way. Its key names it in the cache.
   */
  codec?: ReferenceCodec;
  /** Where built banks are kept; null builds in memory every time. */
  cacheDir: string | null;
}

export const DEFAULT_BANK: BankOptions = {
  vocabulary: 'core',
  grids: [2, 3, 4, 6, 8],
  darkGrids: [2, 4, 8],
  accessoryGrids: [2, 4, 8],
  twoToneGrids: [2, 4, 8],
  blurred: false,
  cacheDir: join(homedir(), '.cache', 'tessera', 'verifier'),
};

/** A codec as the bank uses it: the round trip, and a key that changes when its weights do. */
export interface ReferenceCodec {
  key: string;
  roundTrip: (image: Rgba) => Rgba | Promise<Rgba>;
}

type Spec = { ref: Omit<Reference, 'side' | 'grid' | 'dark'>; object: (dark: boolean) => ObjectSpec; style: StyleId };

function concepts(options: BankOptions) {
  const all = vocabulary(options.vocabulary);
  return options.concepts ? all.filter((c) => options.concepts!.includes(c.id)) : all;
}

/** Every concept in every style that draws it, in both paints; every shape; every word in every font. */
function specs(options: BankOptions): Spec[] {
  const out: Spec[] = [];
  for (const style of STYLE_IDS) {
    for (const c of concepts(options).filter((c) => c.styles.includes(style))) {
      out.push({ ref: { kind: 'emoji', label: c.id, paint: 'original', style }, object: () => ({ kind: 'emoji', concept: c.id }), style });
      // Gray shading shows every opaque pixel on white; on black, white does.
      out.push({ ref: { kind: 'emoji', label: c.id, paint: 'solid', style }, object: (dark) => ({ kind: 'emoji', concept: c.id, color: dark ? 'white' : 'gray' }), style });
    }
  }
  for (const shape of SHAPE_NAMES) out.push({ ref: { kind: 'shape', label: shape, paint: 'solid' }, object: () => ({ kind: 'shape', shape, color: 'blue' }), style: 'noto' });
  for (const t of textCandidates()) {
    const ref = { kind: 'text', label: t.text, paint: 'solid', font: `${t.face}/${t.script}` } as const;
    out.push({ ref, object: () => ({ kind: 'text', ...t, color: 'blue' }), style: 'noto' });
  }
  return out;
}

function twoToneSpecs(options: BankOptions): Spec[] {
  const out: Spec[] = [];
  for (const style of STYLE_IDS) {
    for (const c of concepts(options).filter((c) => c.styles.includes(style))) {
      out.push({ ref: { kind: 'emoji', label: c.id, paint: 'two-tone', style }, object: () => ({ kind: 'emoji', concept: c.id, color: 'blue', color2: 'yellow' }), style });
    }
  }
  return out;
}

/** The same emoji with their lighter half white, drawn in a pass of their own: the other references' scenes stay as they were. */
function darkHalfSpecs(options: BankOptions): Spec[] {
  return twoToneSpecs(options).map(({ ref, style }) => ({ ref: { ...ref, paint: 'dark-half' }, object: () => ({ kind: 'emoji', concept: ref.label, color: 'blue', color2: 'white' }), style }));
}

function accessorySpecs(options: BankOptions): Spec[] {
  const out: Spec[] = [];
  for (const style of STYLE_IDS) {
    // A wearer shrinks under its hat, so the sampler's wearers need references of their own.
    for (const c of concepts(options).filter((c) => c.styles.includes(style) && WEARERS.has(c.subgroup))) {
      for (const accessory of ACCESSORY_IDS) {
        const ref = { kind: 'emoji', label: c.id, paint: 'original', style, accessory } as const;
        out.push({ ref, object: () => ({ kind: 'emoji', concept: c.id, accessory: { concept: accessory } }), style });
      }
    }
  }
  return out;
}

export function bankKey(options: BankOptions): string {
  const { vocabulary, grids, darkGrids, accessoryGrids, twoToneGrids, blurred } = options;
  const specList = [...specs(options), ...accessorySpecs(options), ...twoToneSpecs(options), ...darkHalfSpecs(options)];
  const codec = blurred ? options.codec?.key : undefined;
  const recipe = { BANK_VERSION, vocabulary, grids, darkGrids, accessoryGrids, twoToneGrids, blurred, ...(codec ? { codec } : {}), specs: specList.map((s) => s.ref) };
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
}

/** The bank for these options: read from the cache when there, else built (about a minute) and cached. */
export async function loadOrBuildBank(options: BankOptions = DEFAULT_BANK, log: (line: string) => void = () => {}): Promise<ReferenceBank> {
  const key = bankKey(options);
  const path = options.cacheDir ? join(options.cacheDir, `${key}.bin`) : null;
  if (path && existsSync(path)) return readBank(path);
  log(`verifier: building the ${options.blurred ? (options.codec ? 'codec ' : 'blurred ') : ''}reference bank (once; cached in ${options.cacheDir ?? 'memory'})`);
  const started = Date.now();
  const bank = await buildBank(options, key);
  log(`verifier: built ${bank.refs.length} references in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (path) writeBank(path, bank);
  return bank;
}

export async function buildBank(options: BankOptions, key = bankKey(options)): Promise<ReferenceBank> {
  const all = specs(options);
  const worn = accessorySpecs(options);
  const passes = [
    ...options.grids.map((grid) => ({ grid, dark: false, todo: all })),
    // Emoji lose their dark outlines on black, and the edges of fills turn dark: black gets its own.
    ...options.darkGrids.map((grid) => ({ grid, dark: true, todo: all })),
    ...options.accessoryGrids.map((grid) => ({ grid, dark: false, todo: worn })),
    ...options.twoToneGrids.map((grid) => ({ grid, dark: false, todo: twoToneSpecs(options) })),
    ...options.twoToneGrids.map((grid) => ({ grid, dark: false, todo: darkHalfSpecs(options) })),
  ];
  const refs: Reference[] = [];
  const rows = Object.fromEntries(BLOCKS.map((b) => [b, [] as QuantizedRow[]])) as Record<BlockName, QuantizedRow[]>;
  for (const { grid, dark, todo } of passes) {
    const perScene = grid * grid;
    for (let start = 0; start < todo.length; start += perScene) {
      const chunk = todo.slice(start, start + perScene);
      const objects = chunk.map((s, i) => {
        const cell = { row: Math.floor(i / grid), col: i % grid };
        const object = s.object(dark);
        // An emoji object names its own style, so one scene holds several.
        return { ...object, ...(object.kind === 'emoji' ? { style: s.style } : {}), cell, box: cellBox(cell, grid, grid) } as SceneObject;
      });
      const scene: Scene = { size: 128, background: dark ? 'black' : 'white', style: 'noto', layout: { kind: 'grid', rows: grid, cols: grid }, objects };
      const drawn = canvasPixels(await renderScene(scene));
      const { image, bg } = options.blurred && options.codec ? degradedReference(await options.codec.roundTrip(drawn)) : referenceImage(drawn, options.blurred);
      objects.forEach((object, i) => {
        const f = extractFeatures(image, object.box, bg);
        refs.push({ ...chunk[i].ref, grid, dark, side: f.side });
        for (const b of BLOCKS) rows[b].push(quantize(f[b]));
      });
    }
  }
  const blocks = {} as Record<BlockName, BlockMatrix>;
  for (const b of BLOCKS) {
    blocks[b] = { rows: new Int8Array(refs.length * BLOCK_SIZES[b]), scales: new Float32Array(refs.length) };
    rows[b].forEach((row, r) => {
      blocks[b].rows.set(row.values, r * BLOCK_SIZES[b]);
      blocks[b].scales[r] = row.scale;
    });
  }
  return { key, refs, blocks };
}

interface QuantizedRow {
  values: Int8Array;
  scale: number;
}

/** A row to int8, scaled by its largest magnitude: cosines move by well under 0.01. */
function quantize(row: Float32Array): QuantizedRow {
  let max = 1e-9;
  for (const v of row) max = Math.max(max, Math.abs(v));
  return { values: Int8Array.from(row, (v) => Math.round((v / max) * 127)), scale: max };
}

/**
 * File format: "TVB3", u32 length of a JSON header {key, refs}, the header, then for each block in
 * BLOCKS order: the f32 scales, then the int8 rows.
 */
const MAGIC = 'TVB3';

function writeBank(path: string, bank: ReferenceBank): void {
  const header = Buffer.from(JSON.stringify({ key: bank.key, refs: bank.refs }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const parts: Buffer[] = [Buffer.from(MAGIC), length, header];
  for (const b of BLOCKS) {
    const { rows, scales } = bank.blocks[b];
    parts.push(Buffer.from(scales.buffer, scales.byteOffset, scales.byteLength), Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength));
  }
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, Buffer.concat(parts));
  renameSync(partial, path);
}

function readBank(path: string): ReferenceBank {
  const file = readFileSync(path);
  if (file.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${path} is not a verifier bank; delete it to rebuild`);
  const headerLength = file.readUInt32LE(4);
  const { key, refs } = JSON.parse(file.toString('utf8', 8, 8 + headerLength)) as { key: string; refs: Reference[] };
  let offset = 8 + headerLength;
  const take = (bytes: number) => {
    const slice = file.buffer.slice(file.byteOffset + offset, file.byteOffset + offset + bytes);
    offset += bytes;
    return slice;
  };
  const blocks = {} as Record<BlockName, BlockMatrix>;
  for (const b of BLOCKS) {
    const scales = new Float32Array(take(refs.length * 4));
    blocks[b] = { scales, rows: new Int8Array(take(refs.length * BLOCK_SIZES[b])) };
  }
  return { key, refs, blocks };
}
