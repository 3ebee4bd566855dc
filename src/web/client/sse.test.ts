import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSse, textChunks } from './sse.ts';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* pieces(...parts: string[]) {
  yield* parts;
}

test('messages split across chunks, multi-line data, comments and CRLF', async () => {
  const messages = await all(parseSse(pieces('event: partial\nda', 'ta: {"a":1}\n', '\n: keep-alive\n\ndata: x\r\ndata: y\r\n\r\nevent: done\ndata:z')));
  assert.deepEqual(messages, [
    { event: 'partial', data: '{"a":1}' },
    { event: 'message', data: 'x\ny' },
    { event: 'done', data: 'z' },
  ]);
});

test('a byte stream decodes UTF-8 split mid-character', async () => {
  const bytes = new TextEncoder().encode('data: é\n\n');
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes.subarray(0, 7));
      c.enqueue(bytes.subarray(7));
      c.close();
    },
  });
  assert.deepEqual(await all(parseSse(textChunks(body))), [{ event: 'message', data: 'é' }]);
});
