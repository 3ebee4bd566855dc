import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { load } from './engine.ts';
import { DEFAULT_MODEL_DIR } from './model-files.ts';
import { asciiTokenizer, TINY_DIR } from './test-support.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-engine-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the tiny model with `change` applied. */
function variant(name: string, change: (dir: string) => void): string {
  const dir = join(scratch, name);
  cpSync(TINY_DIR, dir, { recursive: true });
  change(dir);
  return dir;
}

test('the default model folder resolves from the package root', () => {
  assert.ok(DEFAULT_MODEL_DIR.endsWith(join('models', 'default')));
  assert.ok(!DEFAULT_MODEL_DIR.includes('src'));
});

test('missing and corrupt files fail with EngineError naming the file', async () => {
  await assert.rejects(load(join(scratch, 'nowhere')), { name: 'EngineError', code: 'missing-file', message: /nowhere does not exist/ });
  const noGraph = variant('no-graph', (d) => rmSync(join(d, 'lm.onnx')));
  await assert.rejects(load(noGraph), { code: 'missing-file', message: /lm\.onnx is missing/ });
  const oldFormat = variant('old-format', (d) => (rmSync(join(d, 'lm.onnx')), writeFileSync(join(d, 'decode.onnx'), '')));
  await assert.rejects(load(oldFormat), { code: 'missing-file', message: /older prefill\.onnx \+ decode\.onnx export: re-export/ });
  const badConfig = variant('bad-config', (d) => writeFileSync(join(d, 'config.json'), '{"format": "tessera-lm"'));
  await assert.rejects(load(badConfig), { code: 'corrupt-file', message: /config\.json/ });
  const badOnnx = variant('bad-onnx', (d) => writeFileSync(join(d, 'lm.onnx'), 'not a model'));
  await assert.rejects(load(badOnnx, { tokenizer: asciiTokenizer }), { code: 'corrupt-file', message: /lm\.onnx/ });
  const wrongTokenizer = variant('wrong-tokenizer', (d) => cpSync(join(DEFAULT_MODEL_DIR, 'tokenizer.json'), join(d, 'tokenizer.json')));
  await assert.rejects(load(wrongTokenizer), { code: 'corrupt-file', message: /tokenizer\.json has 4096 text ids; config\.json expects 96/ });
});

test("a folder's sampling.json sets what a call leaves out; a bad one fails naming the file", async () => {
  const greedy = variant('greedy', (d) => writeFileSync(join(d, 'sampling.json'), JSON.stringify({ image: { temperature: 0 } })));
  const engine = await load(greedy, { tokenizer: asciiTokenizer, vq: false });
  const plain = await load(TINY_DIR, { tokenizer: asciiTokenizer, vq: false });
  try {
    assert.equal(engine.sampling.image.temperature, 0);
    assert.equal(plain.sampling.image.temperature, 1);
    const codes = async (e: typeof engine, options: object) => Array.from((await e.generate({ prompt: 'a red fox', seed: 3, ...options })).images[0].codes);
    // Greedy by the folder's default is greedy given explicitly, for any seed; a call's own option still wins.
    assert.deepEqual(await codes(engine, {}), await codes(plain, { temperature: 0, seed: 9 }));
    assert.deepEqual(await codes(engine, { temperature: 1 }), await codes(plain, {}));
    assert.notDeepEqual(await codes(engine, { temperature: 1 }), await codes(engine, {}));
  } finally {
    await Promise.all([engine.close(), plain.close()]);
  }
  // An edit section: edits sample with it, and generation keeps the image settings.
  const greedyEdits = variant('greedy-edits', (d) => writeFileSync(join(d, 'sampling.json'), JSON.stringify({ edit: { temperature: 0 } })));
  const editing = await load(greedyEdits, { tokenizer: asciiTokenizer, vq: false });
  const plainAgain = await load(TINY_DIR, { tokenizer: asciiTokenizer, vq: false });
  try {
    const source = Uint16Array.from({ length: 256 }, (_, i) => (i * 37) % 256);
    const edited = async (e: typeof editing, options: object) => Array.from((await e.edit({ image: { codes: source }, instruction: 'make it red', seed: 3, ...options })).images[0].codes);
    assert.deepEqual(await edited(editing, {}), await edited(plainAgain, { temperature: 0, seed: 9 }));
    assert.notDeepEqual(await edited(plainAgain, {}), await edited(plainAgain, { temperature: 0 }));
    const generated = async (e: typeof editing) => Array.from((await e.generate({ prompt: 'a red fox', seed: 3 })).images[0].codes);
    assert.deepEqual(await generated(editing), await generated(plainAgain));
  } finally {
    await Promise.all([editing.close(), plainAgain.close()]);
  }
  const bad = variant('bad-sampling', (d) => writeFileSync(join(d, 'sampling.json'), JSON.stringify({ image: { temprature: 0.5 } })));
  await assert.rejects(load(bad, { tokenizer: asciiTokenizer }), { code: 'corrupt-file', message: /sampling\.json: image: unknown option temprature/ });
  const broken = variant('broken-sampling', (d) => writeFileSync(join(d, 'sampling.json'), '{"image":'));
  await assert.rejects(load(broken, { tokenizer: asciiTokenizer }), { code: 'corrupt-file', message: /sampling\.json/ });
});

test('a folder without tokenizer.json loads, and text operations say what is missing', async () => {
  const engine = await load(TINY_DIR);
  await assert.rejects(engine.generate({ prompt: 'x' }).then(), { code: 'unavailable', message: /tokenizer/ });
  await engine.close();
});
