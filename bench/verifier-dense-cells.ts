/**
 * The dense suite's grids read by the verifier from the world's own renders (the ground truth), one
 * scene at a time, listing every cell it gets wrong and why (not a test):
 *   node --import tsx bench/verifier-dense-cells.ts [--categories dense/3x3,dense/4x4]
 * The same scenes and verdicts as `tessera eval --suite dense --model groundtruth`, which draws each
 * scene twice (two locales of its prompt), without the prompts: a quick look at the verifier's misses.
 */
import { parseArgs } from '../src/cli/args.ts';
import { dense } from '../src/eval/suites/dense.ts';
import { EVAL_SEED, FULL_SCOPE } from '../src/eval/suites/eval-world.ts';
import { canvasPixels } from '../src/eval/verifier/image.ts';
import { Verifier } from '../src/eval/verifier/verifier.ts';
import { renderScene } from '../src/world/render/renderer.ts';

const { flags } = parseArgs(process.argv.slice(2), {
  categories: { type: 'string', default: 'dense/3x3,dense/4x4', description: 'comma-separated dense categories' },
});
const categories = flags.categories.split(',');
const verifier = await Verifier.create({ images: 'clean' });
const seen = new Set<string>();
const tallies: Record<string, { correct: number; total: number }> = {};
for (const c of dense.cases(EVAL_SEED, FULL_SCOPE)) {
  if (c.task !== 't2i' || !categories.includes(c.category)) continue;
  const key = JSON.stringify(c.scene);
  if (seen.has(key)) continue;
  seen.add(key);
  const pixels = canvasPixels(await renderScene(c.scene));
  const tally = (tallies[c.category] ??= { correct: 0, total: 0 });
  c.scene.objects.forEach((o, k) => {
    const v = verifier.checkObject(pixels, o.box, o, c.scene.style);
    tally.total++;
    if (v.correct) return tally.correct++;
    const wrong = (['style', 'color', 'pattern', 'accessory'] as const).filter((a) => v[a] && !v[a]!.ok).map((a) => `${a} ${v[a]!.expected} read ${v[a]!.read}`);
    console.log(`${c.id} object ${k}: ${JSON.stringify({ ...o, box: undefined })} on ${c.scene.background}, ${c.scene.style}: read ${v.read.kind}:${v.read.label}${wrong.length ? `; ${wrong.join('; ')}` : ''}`);
  });
}
for (const [category, t] of Object.entries(tallies)) console.log(`${category}: ${t.correct}/${t.total} cells`);
