/**
 * How much of an object's VQ codes survive a move: the same emoji drawn at x, then at x + k px, both
 * encoded; for each shift k, the share of the object's code cells (shifted by k / 8 cells when k is a
 * multiple of the 8 px code size) that hold the same code. A move by whole codes keeps an object's
 * codes; a move by a fraction of one re-draws it in other codes, which is why stage one places objects
 * on the code grid (`WorldConfig.alignTo`).
 *
 *   node --import tsx bench/code-alignment.ts [--objects 40] [--side 48]
 */
import { parseArgs } from '../src/cli/args.ts';
import { canvasPixels } from '../src/eval/verifier/image.ts';
import { Random } from '../src/world/random.ts';
import { renderScene } from '../src/world/render/renderer.ts';
import { SceneSampler } from '../src/world/scene/sampler.ts';
import { STAGE_ONE } from '../src/world/scene/world-config.ts';
import type { Scene, SceneObject } from '../src/world/scene/scene.ts';
import { DEFAULT_VQ_DIR, ImageTokenizer } from '../src/tokenizers/image/index.ts';

const { flags } = parseArgs(process.argv.slice(2), {
  model: { type: 'string', default: DEFAULT_VQ_DIR, description: 'VQ model folder' },
  objects: { type: 'number', default: 40, description: 'emoji to draw (concept and style drawn at random)' },
  side: { type: 'number', default: 48, description: 'object side in px (a 2×2 cell holds 48)' },
  seed: { type: 'number', default: 5, description: 'which emoji' },
});

const SIZE = 128;
const CODE = 8;
const GRID = SIZE / CODE;
const shifts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 16];
const tokenizer = await ImageTokenizer.load(flags.model, { threads: 1 });
const sampler = new SceneSampler({ ...STAGE_ONE, objectKinds: { emoji: 1, shape: 0, text: 0 }, emojiAttributes: { recolor: 0, pattern: 0, accessory: 0 } });

async function codesAt(object: Omit<SceneObject, 'box'>, style: Scene['style'], x: number, y: number): Promise<Int32Array> {
  const box = { x: x / SIZE, y: y / SIZE, w: flags.side / SIZE, h: flags.side / SIZE };
  const scene: Scene = { size: SIZE, background: 'white', style, layout: { kind: 'single' }, objects: [{ ...object, box } as SceneObject] };
  const { width, height, data } = canvasPixels(await renderScene(scene));
  return tokenizer.encode({ width, height, channels: 4, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

const kept = new Map<number, number[]>(shifts.map((k) => [k, []]));
const rng = new Random(flags.seed);
for (let i = 0; i < flags.objects; i++) {
  const style = rng.pick(STAGE_ONE.styles);
  const object = sampler.emoji(rng, style);
  const x0 = 16;
  const y0 = 40;
  const base = await codesAt(object, style, x0, y0);
  const first = x0 / CODE;
  const last = Math.ceil((x0 + flags.side) / CODE);
  for (const k of shifts) {
    const moved = await codesAt(object, style, x0 + k, y0);
    const cellShift = Math.round(k / CODE); // compare against where the object's codes would be
    let same = 0;
    let cells = 0;
    for (let row = y0 / CODE; row < Math.ceil((y0 + flags.side) / CODE); row++) {
      for (let col = first; col < last; col++) {
        cells++;
        if (base[row * GRID + col] === moved[row * GRID + col + cellShift]) same++;
      }
    }
    kept.get(k)!.push(same / cells);
  }
}
for (const [k, shares] of kept) {
  const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
  console.log(JSON.stringify({ bench: 'code-alignment', shiftPx: k, objects: shares.length, sidePx: flags.side, sameCodes: +mean.toFixed(3) }));
}
