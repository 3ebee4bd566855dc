// End to end: `tessera tokenize`, `detokenize` and `roundtrip` through the real CLI binary, on the
// committed tiny VQ fixture.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readImage } from '../../tokenizers/image/image-io.ts';

const BIN = fileURLToPath(new URL('../../../bin/tessera.js', import.meta.url));
const MODEL = fileURLToPath(new URL('../../tokenizers/image/fixtures', import.meta.url));
const expected = JSON.parse(readFileSync(join(MODEL, 'expected.json'), 'utf8')) as { codes: number[][] };
const dir = mkdtempSync(join(tmpdir(), 'tessera-image-cli-'));

function tessera(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('tokenize -> detokenize -> roundtrip', async () => {
  const codesPath = join(dir, 'codes.json');
  const t = tessera('tokenize', join(MODEL, 'input-1.png'), '--model', MODEL, '--out', codesPath);
  assert.equal(t.status, 0, t.stderr);
  const file = JSON.parse(readFileSync(codesPath, 'utf8'));
  assert.equal(file.format, 'tessera-image-codes');
  assert.deepEqual(file.codes, expected.codes[1]);

  const out = join(dir, 'out.png');
  const d = tessera('detokenize', codesPath, '--model', MODEL, '-o', out);
  assert.equal(d.status, 0, d.stderr);
  const image = await readImage(out);
  assert.equal(image.width, 128);

  const preview = join(dir, 'preview.png');
  assert.equal(tessera('detokenize', codesPath, '--model', MODEL, '-o', preview, '--rows', '4').status, 0);
  const p = await readImage(preview);
  assert.ok(p.data.subarray(32 * 128 * 3).every((v) => v === 255), 'rows below the 4th code row are white');

  const r = tessera('roundtrip', join(MODEL, 'input-1.png'), '--model', MODEL, '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.ok(report.psnr > 5 && report.psnr < 60, `psnr ${report.psnr}`);
});

test('bad input gives a one-line error and exit code 2', () => {
  const junk = join(dir, 'junk.png');
  writeFileSync(junk, 'not an image');
  const r = tessera('roundtrip', junk, '--model', MODEL);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^tessera roundtrip: cannot read .*junk\.png: not a readable PNG, JPEG or WebP image/);
  assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace

  const zero = tessera('roundtrip', join(MODEL, 'input-1.png'), '--model', MODEL, '--repeats', '0');
  assert.equal(zero.status, 2);
  assert.match(zero.stderr, /--repeats must be an integer from 1 to 1000/);

  const codes = join(dir, 'short.json');
  writeFileSync(codes, JSON.stringify([1, 2, 3]));
  const d = tessera('detokenize', codes, '--model', MODEL);
  assert.equal(d.status, 2);
  assert.match(d.stderr, /3 codes do not fill a 2x2 grid|grid/);

  const m = tessera('tokenize', junk, '--model', join(dir, 'no-model'));
  assert.equal(m.status, 2);
  assert.match(m.stderr, /no VQ model in/);
});
