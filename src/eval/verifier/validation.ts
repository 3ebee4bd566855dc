import { Random, sampleSeed } from '../../world/random.ts';
import { renderScene } from '../../world/render/renderer.ts';
import { SceneSampler } from '../../world/scene/sampler.ts';
import type { SceneObject } from '../../world/scene/scene.ts';
import { FULL_WORLD, type WorldConfig } from '../../world/scene/world-config.ts';
import { canvasPixels, type Rgba } from './image.ts';
import { expectedLabel, type Verifier } from './verifier.ts';

/**
 * What the images go through before the verifier reads them: nothing (clean renders), a synthetic
 * codec (degrade.ts), or the VQ round trip (encode then decode with the image tokenizer).
 */
export type Degradation = (image: Rgba) => Rgba | Promise<Rgba>;

export interface LayoutSpec {
  name: string;
  /** Grid rows × cols; 0 × 0 is the sampler's single-object layout (three sizes, jittered). */
  rows: number;
  cols: number;
  scenes: number;
}

export const DEFAULT_LAYOUTS: LayoutSpec[] = [
  { name: '1x1', rows: 1, cols: 1, scenes: 300 },
  { name: '2x2', rows: 2, cols: 2, scenes: 150 },
  { name: '4x4', rows: 4, cols: 4, scenes: 60 },
  { name: '8x8', rows: 8, cols: 8, scenes: 12 },
  { name: 'single', rows: 0, cols: 0, scenes: 150 },
];

/**
 * Validation scenes come from this seed, through world/random.ts's sampleSeed. The reference bank
 * draws no sampled scenes at all (it enumerates the catalog), so every validation scene is held out.
 */
export const VALIDATION_SEED = 0x7e57;

export interface Tally {
  correct: number;
  total: number;
}

export interface Confusion {
  expected: string;
  read: string;
  count: number;
}

export interface LayoutResult {
  name: string;
  scenes: number;
  /** Right kind and label, comparing as the expected paint says (what checkObject reports). */
  identity: Tally;
  /** Right kind and label from classifyCell alone, told nothing. */
  blindIdentity: Tally;
  /** Identity and every named attribute right. */
  correct: Tally;
  attributes: Record<'style' | 'color' | 'pattern' | 'accessory', Tally>;
  /** Identity by kind and paint, e.g. "emoji/solid" (recolored), "shape/pattern". */
  byGroup: Record<string, Tally>;
  confusions: Confusion[];
  /** The first identity errors, to look at: scene index, object index, what was expected and read. */
  errors: { scene: number; object: number; expected: SceneObject; read: string; score: number }[];
  msPerObject: number;
}

export interface ValidationResult {
  /** Which images: "clean", "synthetic", "vq". */
  name: string;
  layouts: LayoutResult[];
}

export interface ValidationOptions {
  name: string;
  layouts?: LayoutSpec[];
  degrade?: Degradation;
  world?: WorldConfig;
  seed?: number;
  /** Also classify every object without hints (doubles the time). */
  blind?: boolean;
  onLayout?: (result: LayoutResult) => void;
}

/** Renders held-out scenes of each layout, (optionally) degrades them, and tallies the verifier's verdicts. */
export async function validateVerifier(verifier: Verifier, options: ValidationOptions): Promise<ValidationResult> {
  const layouts: LayoutResult[] = [];
  for (const spec of options.layouts ?? DEFAULT_LAYOUTS) {
    const result = await validateLayout(verifier, spec, options);
    options.onLayout?.(result);
    layouts.push(result);
  }
  return { name: options.name, layouts };
}

async function validateLayout(verifier: Verifier, spec: LayoutSpec, options: ValidationOptions): Promise<LayoutResult> {
  const world = options.world ?? FULL_WORLD;
  const single = spec.rows === 0;
  const sampler = new SceneSampler({
    ...world,
    layouts: { single: single ? 1 : 0, grid: single ? 0 : 1, free: 0, count: 0 },
    grids: single ? world.grids : [[spec.rows, spec.cols, 1]],
  });
  const result: LayoutResult = {
    name: spec.name,
    scenes: spec.scenes,
    identity: tally(),
    blindIdentity: tally(),
    correct: tally(),
    attributes: { style: tally(), color: tally(), pattern: tally(), accessory: tally() },
    byGroup: {},
    confusions: [],
    errors: [],
    msPerObject: 0,
  };
  const confusions = new Map<string, Confusion>();
  let elapsed = 0;
  for (let i = 0; i < spec.scenes; i++) {
    // Each layout draws its own seeds: layouts do not share scenes.
    const scene = sampler.scene(new Random(sampleSeed((options.seed ?? VALIDATION_SEED) + spec.rows * 100 + spec.cols, i)));
    let pixels = canvasPixels(await renderScene(scene));
    if (options.degrade) pixels = await options.degrade(pixels);
    const started = performance.now();
    const verdict = verifier.checkScene(pixels, scene);
    verdict.objects.forEach((v, k) => {
      const expected = scene.objects[k];
      add(result.identity, v.concept);
      add(result.correct, v.correct);
      for (const a of ['style', 'color', 'pattern', 'accessory'] as const) if (v[a]) add(result.attributes[a], v[a]!.ok);
      add((result.byGroup[group(expected)] ??= tally()), v.concept);
      if (options.blind !== false) {
        const blind = verifier.classifyCell(pixels, expected.box);
        add(result.blindIdentity, verifier.shows(blind, expected));
      }
      if (!v.concept) {
        const key = `${expected.kind}:${expectedLabel(expected)} → ${v.read.kind}:${v.read.label}`;
        const c = confusions.get(key) ?? { expected: `${expected.kind}:${expectedLabel(expected)}`, read: `${v.read.kind}:${v.read.label}`, count: 0 };
        c.count++;
        confusions.set(key, c);
        if (result.errors.length < MAX_ERRORS) result.errors.push({ scene: i, object: k, expected, read: `${v.read.kind}:${v.read.label}/${v.read.style ?? v.read.font ?? ''}`, score: v.read.score });
      }
    });
    elapsed += performance.now() - started;
  }
  result.confusions = [...confusions.values()].sort((a, b) => b.count - a.count);
  result.msPerObject = elapsed / Math.max(1, result.identity.total);
  return result;
}

const MAX_ERRORS = 30;

/** "emoji/original", "emoji/solid" (recolored), "emoji/two-tone", "emoji/pattern", "emoji/accessory", "shape/pattern", ... */
function group(o: SceneObject): string {
  if (o.kind === 'emoji' && o.accessory) return 'emoji/accessory';
  const paint = o.pattern && o.pattern !== 'solid' ? 'pattern' : o.kind !== 'emoji' ? 'solid' : o.color2 ? 'two-tone' : o.color ? 'solid' : 'original';
  return `${o.kind}/${paint}`;
}

function tally(): Tally {
  return { correct: 0, total: 0 };
}

function add(t: Tally, ok: boolean): void {
  t.total++;
  if (ok) t.correct++;
}

export function rate(t: Tally): number {
  return t.total ? t.correct / t.total : NaN;
}
