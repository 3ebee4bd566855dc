// Where the CLI writes. A CLI writes where its user says, so "escaping" here means writing a file
// whose path the user did not give: the CLI writes exactly the path of -o (or, for several images,
// that path with -1, -2... before the extension, in the same folder) and chat images inside
// --out-dir; no part of a written path ever comes from a prompt, a file's contents or the model.
// The user's own `..` is honoured, as any Unix tool does. (The server writes no files from request
// input at all: see src/server/traversal.test.ts.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { outputPaths } from '../engine-flags.ts';
import { BIN } from '../serve-child.ts';

const TINY = fileURLToPath(new URL('../../model/fixtures/tiny', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'tessera-out-paths-'));
after(() => rmSync(root, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath ?? e.path, e.name))).sort();
}

function tessera(args: string[], cwd: string, input = ''): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', resolve);
    child.stdin.end(input);
  });
}

test('numbered outputs stay beside the path given, whatever it looks like', () => {
  for (const out of ['out.png', 'a/b/c.webp', '../up/x.jpg', '/tmp/abs.png', 'dir.v2/name', '.hidden.png', 'we ird/..x.png']) {
    const paths = outputPaths(out, 3);
    const ext = out.match(/\.[^./]*$/)?.[0] ?? '';
    assert.deepEqual(paths, [1, 2, 3].map((i) => `${out.slice(0, out.length - ext.length)}-${i}${ext}`), out);
  }
  assert.deepEqual(outputPaths('../../x.png', 1), ['../../x.png'], 'one image: exactly the path given');
});

test('prompts that look like paths change no file name: generate, edit and chat write only where told', async () => {
  const cwd = join(root, 'work', 'deep');
  mkdirSync(cwd, { recursive: true });
  const evil = '../../../escaped/pwned.png /etc/passwd $(touch hacked) `id`';
  assert.equal(await tessera(['generate', evil, '-o', 'out/gen.png', '--n', '2', '--model', TINY], cwd), 0);
  assert.equal(await tessera(['edit', 'out/gen-1.png', evil, '-o', 'edited.webp', '--model', TINY], cwd), 0);
  assert.equal(await tessera(['chat', '--reply', 'image', '--out-dir', 'talk', '--model', TINY], cwd, `${evil}\n/quit\n`), 0);
  const written = files(root);
  const chat = written.filter((f) => f.startsWith('work/deep/talk/'));
  assert.equal(chat.length, 1, written.join(', '));
  assert.match(chat[0], /^work\/deep\/talk\/chat-[\w-]+-1\.png$/);
  assert.deepEqual(written.filter((f) => !chat.includes(f)), ['work/deep/edited.webp', 'work/deep/out/gen-1.png', 'work/deep/out/gen-2.png']);
});
