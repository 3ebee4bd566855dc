// End to end: generate, edit, describe, chat and serve through the real CLI binary, on the committed
// tiny model (which the CLI runs with the engine's test stand-ins; see src/cli/load-model.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const BIN = fileURLToPath(new URL('../../../bin/tessera.js', import.meta.url));
const TINY = fileURLToPath(new URL('../../model/fixtures/tiny', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tessera-engine-cli-'));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function tessera(args: string[], input?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** 128 px of flat 8x8 gray blocks: the tiny model's block codec reads it back exactly. */
const blocks = Array.from({ length: 256 }, (_, i) => (i * 37) % 256);
async function writeBlocks(path: string): Promise<void> {
  const rgb = Buffer.alloc(128 * 128 * 3);
  for (let p = 0; p < 128 * 128; p++) rgb.fill(blocks[Math.floor(p / 1024) * 16 + Math.floor((p % 128) / 8)], p * 3, p * 3 + 3);
  await sharp(rgb, { raw: { width: 128, height: 128, channels: 3 } }).png().toFile(path);
}

test('generate: --n 2 writes two valid PNGs, best first; --json reports them', async () => {
  const r = await tessera(['generate', 'two', 'stars', '-o', 'stars.png', '--n', '2', '--json', '--cfg', '1.5', '--model', TINY]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /tiny test fixture/);
  const result = JSON.parse(r.stdout);
  assert.equal(result.prompt, 'two stars');
  assert.equal(result.model, 'tessera-tiny');
  assert.deepEqual(result.settings, { seed: 0, cfg: 1.5, temperature: 1, topK: 0, topP: 1 });
  assert.deepEqual(result.images.map((im: { path: string }) => im.path), ['stars-1.png', 'stars-2.png']);
  assert.ok(result.images[0].score >= result.images[1].score);
  for (const file of ['stars-1.png', 'stars-2.png']) {
    const meta = await sharp(join(dir, file)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 128, 128]);
  }
});

test('edit with a mask changes only the masked blocks; describe answers; chat keeps going past bad input', async () => {
  await writeBlocks(join(dir, 'in.png'));
  const mask = Buffer.alloc(128 * 128 * 4, 255);
  for (let y = 0; y < 64; y++) for (let x = 64; x < 128; x++) mask[(y * 128 + x) * 4 + 3] = 0; // the top-right quarter
  await sharp(mask, { raw: { width: 128, height: 128, channels: 4 } }).png().toFile(join(dir, 'mask.png'));
  writeFileSync(join(dir, 'junk.png'), 'not an image');
  const chatInput = 'draw a red star\n/image junk.png\n/image in.png\nnow make it blue\n/nonsense\n/quit\nnever read\n';
  const [edit, describe, chat] = await Promise.all([
    tessera(['edit', 'in.png', 'make it red', '--mask', 'mask.png', '-o', 'edited.png', '--model', TINY]),
    tessera(['describe', 'in.png', '--max-tokens', '8', '--model', TINY]),
    tessera(['chat', '--reply', 'image', '--out-dir', 'chat', '--model', TINY], chatInput),
  ]);

  assert.equal(edit.status, 0, edit.stderr);
  assert.equal(edit.stdout, 'edited.png\n');
  const { data } = await sharp(join(dir, 'edited.png')).raw().toBuffer({ resolveWithObject: true });
  let changed = 0;
  blocks.forEach((v, i) => {
    const [row, col] = [Math.floor(i / 16), i % 16];
    const got = data[(row * 8 * 128 + col * 8) * 3];
    if (row < 8 && col >= 8) changed += got !== v ? 1 : 0;
    else assert.equal(got, v, `block ${i} outside the mask changed`);
  });
  assert.ok(changed > 0);

  assert.equal(describe.status, 0, describe.stderr);
  assert.ok(describe.stdout.endsWith('\n'));

  assert.equal(chat.status, 0, chat.stderr);
  const saved = chat.stdout.split('\n').filter((l) => l.startsWith('[image] ')).map((l) => l.slice(8));
  assert.equal(saved.length, 2, chat.stdout);
  for (const path of saved) assert.equal((await sharp(join(dir, path)).metadata()).width, 128);
  assert.match(chat.stderr, /attached in\.png/);
  assert.match(chat.stderr, /unknown command \/nonsense/);
  assert.match(chat.stderr, /junk\.png is not a readable PNG, JPEG or WebP file/); // and the chat went on
});

test('errors are one clear line and exit code 2', async () => {
  const [noModel, noFile] = await Promise.all([
    tessera(['generate', 'a fox', '--model', join(dir, 'missing-model')]),
    tessera(['describe', 'missing.png', '--model', TINY]),
  ]);
  const cases: [Result, RegExp][] = [
    [noModel, /^tessera generate: model folder .*missing-model does not exist; pass --model a folder with config\.json/],
    [noFile, /^tessera describe: cannot read missing\.png: no such file/],
  ];
  for (const [r, message] of cases) {
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
  }
});

test('serve: listens, answers /v1/models with the key, stops on SIGINT', async () => {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--model', TINY], { cwd: dir, env: { ...process.env, TESSERA_API_KEY: 'k' } });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = /at (http:\/\/\S+\/v1)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.on('close', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    assert.equal((await fetch(`${url}/models`)).status, 401);
    const list = await (await fetch(`${url}/models`, { headers: { authorization: 'Bearer k' } })).json();
    assert.equal(list.data[0].id, 'tessera-tiny');
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0);
});
