/**
 * parity() against the tiny fixture's committed PyTorch answers (no Python needed): the fp32 export
 * agrees to rounding, and answers that differ are measured as differing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { LmReference } from '../trainer/lm-reference.ts';
import { readModelDir } from './model-files.ts';
import { parity } from './parity.ts';
import { LmSession } from './session.ts';
import { TINY_DIR } from './test-support.ts';

const json = JSON.parse(readFileSync(`${TINY_DIR}/reference.json`, 'utf8')) as { input_ids: number[][]; greedy: number[][] };
const bin = readFileSync(`${TINY_DIR}/reference.bin`);
const reference = (): LmReference => ({ ...json, logits: new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength)) });

test('the tiny fp32 export agrees with its PyTorch answers at every real position', async () => {
  const files = await readModelDir(TINY_DIR);
  const session = await LmSession.create(files.lm, files.config, { intraOpNumThreads: 1 });
  const stats = await parity(session, reference());
  const [B, T] = [json.input_ids.length, json.input_ids[0].length];
  const pads = json.input_ids.flat().filter((id) => id === files.config.vocab.specials.pad).length;
  assert.equal(stats.positions, B * T - pads + B * json.greedy.length);
  assert.ok(stats.maxAbsDiff < 1e-4 && stats.meanKl < 1e-8, JSON.stringify(stats));
  assert.equal(stats.top1, 1);

  const shuffled = reference();
  const V = files.config.vocab.size;
  for (let i = 0; i < shuffled.logits.length; i += V) shuffled.logits.subarray(i, i + V).reverse(); // every position's favourite moves
  const off = await parity(session, shuffled);
  assert.ok(off.meanKl > 0.1 && off.top1 < 0.5, JSON.stringify(off));
  await session.release();
});
