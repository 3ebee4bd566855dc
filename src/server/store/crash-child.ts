/**
 * The process crash.test.ts kills with SIGKILL. It writes to a store and prints `committed <id>`
 * after each commit returns, so every id the parent has read is one the database promised to keep.
 *
 *   chat   real chat turns on the tiny model; prints `generating` halfway through each reply
 *   write  back-to-back transactions of a message with large images, to be killed mid-write
 */
import { GenerationQueue } from '../queue.ts';
import { DEFAULT_LIMITS } from '../options.ts';
import { ChatTurns } from '../chat/turns.ts';
import { tinyModel } from '../test-support.ts';
import { ChatStore } from './chat-store.ts';
import { dataPaths } from './data-dir.ts';

const [mode, dir] = process.argv.slice(2);
const store = ChatStore.open(dataPaths(dir));
const { id } = store.createConversation('crash');
const say = (line: string) => process.stdout.write(`${line}\n`);

if (mode === 'write') {
  const png = new Uint8Array(64 * 1024).map((_, i) => i % 251);
  for (let i = 0; ; i++) {
    const message = store.addMessage(id, 'user', { text: `write ${i}`, images: [0, 1, 2, 3].map((slot) => ({ kind: 'upload' as const, slot, width: 1, height: 1, png })) });
    say(`committed ${message.id}`);
  }
} else {
  const { model } = await tinyModel();
  const turns = new ChatTurns(store, { model: async () => model, queue: new GenerationQueue(1, 1), limits: DEFAULT_LIMITS });
  for (let i = 0; ; i++) {
    const turn = await turns.post(id, { text: `turn ${i}`, images: [], n: 1, reply: 'image', seed: i }, new AbortController().signal);
    try {
      for await (const event of turn.events(new AbortController().signal)) {
        if (event.type === 'user' || event.type === 'done') say(`committed ${event.message.id}`);
        if (event.type === 'partial' && event.rows === 8) say('generating');
      }
    } finally {
      turn.release();
    }
  }
}
