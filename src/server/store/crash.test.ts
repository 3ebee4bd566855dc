import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { ChatStore } from './chat-store.ts';
import { dataPaths } from './data-dir.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'tessera-crash-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Runs the child until `killWhen` says so on a line, SIGKILLs it, and returns the ids it committed. */
async function killChild(mode: string, dir: string, killWhen: (line: string, committed: number) => boolean): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const committed: string[] = [];
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('committed ')) committed.push(line.slice(10));
    if (killWhen(line, committed.length)) {
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL');
  return committed;
}

function reopenAndCheck(dir: string, committed: string[]): void {
  const store = ChatStore.open(dataPaths(dir));
  try {
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
    for (const id of committed) assert.ok(store.getMessage(id), `committed message ${id} survived`);
    const [conversation] = store.listConversations();
    const { messages } = store.getConversation(conversation.id);
    assert.deepEqual(messages.map((m) => m.seq), messages.map((_, i) => i), 'no gaps, no half-written message');
    for (const m of messages) for (const im of m.images) assert.ok(store.getImage(im.id).png || store.getImage(im.id).codes, 'every image row has its bytes');
  } finally {
    store.close();
  }
}

test('SIGKILL mid-generation: every committed message is there after reopening', async () => {
  const dir = join(root, 'chat');
  // Kill halfway through the third reply: two whole turns and a dangling user message are committed.
  const committed = await killChild('chat', dir, (line, n) => line === 'generating' && n >= 5);
  assert.equal(committed.length, 5);
  reopenAndCheck(dir, committed);
});

test('SIGKILL mid-write: transactions land whole or not at all', async () => {
  const dir = join(root, 'write');
  const committed = await killChild('write', dir, (_line, n) => n >= 20 + Math.floor(Math.random() * 20));
  reopenAndCheck(dir, committed);
});
