/**
 * The shipped default model (models/default) runs in the engine's session: its graph (int8 block
 * weights, ORT's MatMulNBits) loads, a prompt prefills, and steps inside an image return the image
 * codes' logits from the codes' own head, close to those columns of a full step. And the graph is
 * the shipped weights: sessions 2-4 committed graphs of the pre-cooldown checkpoint beside the
 * cooled weights (mean KL 0.05 nats between them), which this catches. `npx tessera generate`
 * depends on it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pytorchReference } from '../trainer/lm-reference.ts';
import { DEFAULT_MODEL_DIR, readModelDir } from './model-files.ts';
import { parity } from './parity.ts';
import { lastLogits, LmSession } from './session.ts';

test('the default model prefills a prompt and decodes image steps with the image codes\' logits only', async () => {
  const files = await readModelDir();
  const session = await LmSession.create(files.lm, files.config, { intraOpNumThreads: 1 });
  const { vocab } = files.config;
  const { bos, user, end_turn, assistant, boi } = vocab.specials;
  const prompt = [bos, vocab.tasks.t2i, user, 50, 60, 70, end_turn, assistant];
  const { logits, T, cache } = await session.prefill([prompt]);
  const [last] = lastLogits(logits, 1, T, vocab.size);
  assert.equal(last.length, vocab.size);
  assert.ok(last.every(Number.isFinite));
  const twin = cache.select([0]);
  const { start, size } = vocab.image;
  const full = await session.decode(cache, [boi]);
  const codes = await session.decode(twin, [boi], 'codes');
  assert.equal(codes.length, size);
  // Its own int8 head for the codes: close to the full head's columns, and the same favourite.
  const fullCodes = full.subarray(start, start + size);
  const spread = Math.max(...fullCodes) - Math.min(...fullCodes);
  assert.ok(codes.every((x, j) => Math.abs(x - fullCodes[j]) < 0.05 * spread), 'codes head far from the full head');
  assert.equal(codes.indexOf(Math.max(...codes)), fullCodes.indexOf(Math.max(...fullCodes)));
  // A trained model prefers an image code right after <boi> over every text id.
  const best = full.indexOf(Math.max(...full));
  assert.ok(best >= start && best < start + size, `argmax after <boi> is id ${best}, not an image code`);
  await session.release();
});

test('the default model\'s lm.onnx is its weights.safetensors: PyTorch on those weights agrees', async () => {
  const files = await readModelDir();
  const session = await LmSession.create(files.lm, files.config, { intraOpNumThreads: 1 });
  const ref = pytorchReference(join(DEFAULT_MODEL_DIR, 'config.json'), join(DEFAULT_MODEL_DIR, 'weights.safetensors'), 48);
  const stats = await parity(session, ref);
  await session.release();
  // A graph of other weights of the same run measured 5e-2 nats. The int8 graph's own error grows as
  // training sharpens the activations it quantizes per block (1.7e-5 at step 2,096, 1.4e-3 at 12,085,
  // 6e-4 here and 1.1e-3 over bench/engine-parity.ts's 251 positions at 15,539; BENCHMARKS.md, "Why
  // the int8 graph's KL rose tenfold"), so the bound sits between the two, 10x under a mismatch.
  // 48 greedy steps (107 positions): the int8 rounding flips a near-tie now and then (2 of the first 35
  // positions at step 25,236, the same 2 in 107): over 12 steps (35 positions) they read 94.3 %.
  assert.ok(stats.meanKl < 5e-3, `mean KL ${stats.meanKl} nats over ${stats.positions} positions`);
  assert.ok(stats.top1 >= 0.95, `top-1 agreement ${stats.top1}`);
});
