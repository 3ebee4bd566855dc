/**
 * Golden parity: the committed tiny ONNX export (src/model/fixtures/tiny, made by
 * `python -m tessera_trainer.lm fixture`) must reproduce PyTorch's logits and greedy tokens through
 * lm.onnx, first on an empty cache (prefill), then one token at a time with each call's new slots
 * appended to the cache, on a batch with a left-padded row. The cache here is exactly the written
 * slots; session.test.ts covers the engine's preallocated cache with unused slots masked.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createSession, tensor } from '../runtime/onnx.ts';
import { parseModelConfig } from './model-config.ts';

const dir = new URL('./fixtures/tiny/', import.meta.url);
const config = parseModelConfig(JSON.parse(readFileSync(new URL('config.json', dir), 'utf8')));
const ref = JSON.parse(readFileSync(new URL('reference.json', dir), 'utf8')) as {
  input_ids: number[][];
  attention_mask: number[][];
  position_ids: number[][];
  greedy: number[][];
  logits: { prefill: number[]; decode: number[][] };
};
const bin = readFileSync(new URL('reference.bin', dir));
const refLogits = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
const TOLERANCE = 1e-4;

const int64 = (rows: number[][]) => tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0].length]);

function maxAbsDiff(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

function argmaxRows(logits: Float32Array, rows: number, width: number): number[] {
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let v = 1; v < width; v++) if (logits[r * width + v] > logits[r * width + best]) best = v;
    return best;
  });
}

/** past (B, H, S, D) followed by new (B, H, T, D) along the slot axis. */
function appendSlots(past: Float32Array, news: Float32Array, rows: number, S: number, T: number, D: number): Float32Array {
  const out = new Float32Array(rows * (S + T) * D);
  for (let r = 0; r < rows; r++) {
    out.set(past.subarray(r * S * D, (r + 1) * S * D), r * (S + T) * D);
    out.set(news.subarray(r * T * D, (r + 1) * T * D), (r * (S + T) + S) * D);
  }
  return out;
}

test('lm.onnx matches PyTorch logits and greedy tokens: prefill on an empty cache, then decode steps', async () => {
  const lm = await createSession(new URL('lm.onnx', dir).pathname, { intraOpNumThreads: 1 });
  const { nLayer, nHead: H, nEmbd } = config.model;
  const D = nEmbd / H;
  const V = config.vocab.size;
  const [B, T] = ref.logits.prefill;
  assert.equal(ref.logits.prefill[2], V);
  const everyId = { all_logits: tensor('int64', BigInt64Array.of(1n), [1]) };
  const names = Array.from({ length: nLayer }, (_, i) => [`${i}.key`, `${i}.value`]).flat();
  let past: Float32Array[] = names.map(() => new Float32Array(0));
  let S = 0;
  const feedPast = () => Object.fromEntries(names.map((n, i) => [`past.${n}`, tensor('float32', past[i], [B, H, S, D])]));
  const keep = (out: Record<string, { data: unknown; dims: readonly number[] }>, added: number) => {
    for (const n of names) assert.deepEqual(out[`new.${n}`].dims, [B, H, added, D]);
    past = names.map((n, i) => appendSlots(past[i], out[`new.${n}`].data as Float32Array, B * H, S, added, D));
    S += added;
  };

  const out = await lm.run({ input_ids: int64(ref.input_ids), position_ids: int64(ref.position_ids), attention_mask: int64(ref.attention_mask), ...everyId, ...feedPast() });
  const logits = out.logits.data as Float32Array;
  assert.deepEqual(out.logits.dims, [B, T, V]);
  // Left-pad query rows attend to nothing real: their logits are defined but meaningless, so skip them.
  let offset = 0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      if (ref.attention_mask[b][t] === 0) continue;
      const at = (b * T + t) * V;
      const diff = maxAbsDiff(logits.subarray(at, at + V), refLogits.subarray(at, at + V));
      assert.ok(diff < TOLERANCE, `prefill logits [${b}, ${t}] differ by ${diff}`);
    }
  }
  // The image codes' own head: the same numbers as those columns of the full one.
  const K = config.vocab.image.size;
  const codeLogits = out.code_logits.data as Float32Array;
  assert.deepEqual(out.code_logits.dims, [B, T, K]);
  for (let r = 0; r < B * T; r++) {
    const at = r * V + config.vocab.image.start;
    assert.ok(maxAbsDiff(codeLogits.subarray(r * K, (r + 1) * K), logits.subarray(at, at + K)) < TOLERANCE, `code logits of position ${r}`);
  }
  offset += B * T * V;
  keep(out, T);

  let last: Float32Array = Float32Array.from({ length: B * V }, (_, i) => logits[(Math.floor(i / V) * T + T - 1) * V + (i % V)]);
  const mask = ref.attention_mask.map((row) => [...row]);
  const positions = ref.position_ids.map((row) => row[row.length - 1] + 1);
  for (let step = 0; step < ref.greedy.length; step++) {
    const tokens = argmaxRows(last, B, V);
    assert.deepEqual(tokens, ref.greedy[step], `greedy tokens at step ${step}`);
    mask.forEach((row) => row.push(1));
    const result = await lm.run({ input_ids: int64(tokens.map((t) => [t])), position_ids: int64(positions.map((p) => [p + step])), attention_mask: int64(mask), ...everyId, ...feedPast() });
    last = result.logits.data as Float32Array;
    assert.deepEqual(result.logits.dims, [B, 1, V]);
    const diff = maxAbsDiff(last, refLogits.subarray(offset, offset + B * V));
    assert.ok(diff < TOLERANCE, `decode step ${step} logits differ by ${diff}`);
    offset += B * V;
    keep(result, 1);
  }
  assert.equal(offset, refLogits.length);
  await lm.release();
});
