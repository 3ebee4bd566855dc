/**
 * The VQ in its worker thread against the same VQ on the calling thread, on the committed tiny VQ
 * fixture (src/tokenizers/image/fixtures, 64 codes): the same pixels, clean shutdown, clear errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ImageTokenizer } from '../tokenizers/image/index.ts';
import { vqCodec } from './vq-codec.ts';
import { vqWorkerCodec } from './vq-worker.ts';

const VQ_DIR = fileURLToPath(new URL('../tokenizers/image/fixtures', import.meta.url));
const expected = JSON.parse(readFileSync(`${VQ_DIR}/expected.json`, 'utf8')) as { codes: number[][] };
const local = vqCodec(await ImageTokenizer.load(VQ_DIR, { threads: 1 }));
const worker = await vqWorkerCodec(VQ_DIR, local, 1);
after(() => worker.close());

test('decodes in the worker give the same bytes as on the calling thread', async () => {
  const [a, b] = expected.codes;
  assert.deepEqual(await worker.decode(a), await local.decode(a));
  assert.deepEqual(await worker.decodeBatch!([a, b]), await local.decodeBatch!([a, b]));
  for (const rows of [0, 1, 7, 16]) assert.deepEqual(await worker.decodePartial!(a, rows), await local.decodePartial!(a, rows), `rows ${rows}`);
  assert.deepEqual(await worker.decodePartialBatch!([a, b], 3), await local.decodePartialBatch!([a, b], 3));
  assert.deepEqual(await worker.decodePartialBatch!([], 3), []);
  assert.equal(worker.codebookSize, 64);
  assert.deepEqual(Array.from(await worker.encode(await local.decode(a))), Array.from(await local.encode(await local.decode(a))));
});

test('answers in request order, and the caller may change its codes once it has asked', async () => {
  const codes = Uint16Array.from(expected.codes[0]);
  const pending = [5, 9, 16].map((rows) => worker.decodePartial!(codes, rows));
  codes.fill(0); // the decode loop goes on writing codes while a preview waits
  const images = await Promise.all(pending);
  for (const [i, rows] of [5, 9, 16].entries()) assert.deepEqual(images[i], await local.decodePartial!(expected.codes[0], rows));
});

test('a bad request rejects with an EngineError; the worker goes on serving', async () => {
  await assert.rejects(worker.decode(new Array(256).fill(999)), { name: 'EngineError', code: 'bad-input', message: /outside \[0, 64\)/ });
  assert.equal((await worker.decode(expected.codes[0])).width, 128);
});

test('close rejects what is pending and everything after it', async () => {
  const other = await vqWorkerCodec(VQ_DIR, local, 1);
  const pending = assert.rejects(other.decode(expected.codes[0]), { name: 'EngineError', code: 'unavailable' });
  await other.close();
  await pending;
  await assert.rejects(other.decodePartial!(expected.codes[0], 2), { name: 'EngineError', code: 'unavailable', message: /closed/ });
});

test('a folder without a VQ fails to load with an EngineError', async () => {
  await assert.rejects(vqWorkerCodec('/nonexistent-vq', local, 1), { name: 'EngineError', code: 'corrupt-file', message: /nonexistent-vq/ });
});

test('a process that never closes the codec still exits once its decodes are answered', () => {
  const script = `
    import { ImageTokenizer } from ${JSON.stringify(new URL('../tokenizers/image/index.ts', import.meta.url).href)};
    import { vqCodec } from ${JSON.stringify(new URL('./vq-codec.ts', import.meta.url).href)};
    import { vqWorkerCodec } from ${JSON.stringify(new URL('./vq-worker.ts', import.meta.url).href)};
    const dir = ${JSON.stringify(VQ_DIR)};
    const codec = await vqWorkerCodec(dir, vqCodec(await ImageTokenizer.load(dir, { threads: 1 })), 1);
    const image = await codec.decodePartial(new Array(256).fill(1), 4);
    console.log('decoded', image.width);`;
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(out.signal, null, 'the process hung'); // killed by the timeout only if the worker kept it alive
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /decoded 128/);
});
