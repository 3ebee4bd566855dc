/**
 * Edit speed: one edit of a 128 px image with CFG at N=1, for three masks (four cells, a quarter of
 * the image, none), with the engine's default decoding and with one-token steps (`jacobi: { window:
 * 1 }`), interleaved call by call so that a busy machine slows both alike.
 *
 *   node --import tsx bench/edit.ts --model models/default --repeats 5
 *
 * An edit's prompt holds the source image (~260 tokens) and the reply has locked cells: the engine
 * prefills the prefix its guided rows share once (LmSession.prefillLast) and feeds locked stretches
 * in a few Jacobi calls (jacobi.ts, FORCED_RUN); this prints what those buy. The source image is the
 * model's own generation for a fixed prompt and seed. Timings are medians.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { load } from '../src/engine/engine.ts';
import { defaultJacobi } from '../src/engine/generate.ts';
import type { EditMask } from '../src/engine/mask.ts';
import { DEFAULT_VQ_DIR } from '../src/engine/model-files.ts';
import type { JacobiStats } from '../src/engine/jacobi.ts';
import { median } from '../src/util/median.ts';

const { values: flags } = parseArgs({ options: { model: { type: 'string', default: 'models/default' }, vq: { type: 'string' }, repeats: { type: 'string', default: '5' } } });
const repeats = Number(flags.repeats);
// The final image decodes through the VQ (in its worker), as a user's edit does: models/vq unless --vq.
const vq = flags.vq ?? (existsSync(DEFAULT_VQ_DIR) ? DEFAULT_VQ_DIR : false);
const engine = await load(flags.model, { vq });
const { images } = await engine.generate({ prompt: 'a 2x2 grid: a dog, a tree, a cup, a house', seed: 1, previewEvery: 0 });
const source = images[0].codes;
const MASKS: [string, EditMask | undefined][] = [
  ['four cells', { cells: [{ row: 3, col: 4 }, { row: 3, col: 5 }, { row: 4, col: 4 }, { row: 4, col: 5 }] }],
  ['a quarter', { boxes: [{ x: 0, y: 0, w: 0.5, h: 0.5 }] }],
  ['no mask', undefined],
];
const SIDES = [
  ['default', undefined],
  ['one-token steps', 1],
] as const;

console.log(`${flags.model}: one edit at N=1 with CFG, VQ ${vq || 'none'}, median of ${repeats} (after one warm-up each)`);
for (const [name, mask] of MASKS) {
  const times = SIDES.map((): number[] => []);
  const stats: JacobiStats = { calls: 0, drafted: 0, accepted: 0 };
  for (let r = 0; r <= repeats; r++) {
    for (const [i, [, window]] of SIDES.entries()) {
      const t0 = performance.now();
      await engine.edit({
        image: { codes: source },
        instruction: 'make the dog red',
        seed: r,
        previewEvery: 0,
        ...(mask ? { mask } : {}),
        ...(window ? { jacobi: { window } } : { jacobi: { window: defaultJacobi(1)?.window ?? 1, ...(r > 0 ? { stats } : {}) } }),
      });
      if (r > 0) times[i].push(performance.now() - t0);
    }
  }
  const [fast, slow] = times.map(median);
  console.log(`  ${name.padEnd(11)} default ${fast.toFixed(1)} ms (${(stats.calls / repeats).toFixed(0)} window calls), one-token steps ${slow.toFixed(1)} ms: ${(fast / slow).toFixed(2)} of their time`);
}
await engine.close();
