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

test('a folder without tokenizer.json loads, and text operations say what is missing', async () => {
  const engine = await load(TINY_DIR);
  await assert.rejects(engine.generate({ prompt: 'x' }).then(), { code: 'unavailable', message: /tokenizer/ });
  await engine.close();
});
