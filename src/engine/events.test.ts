import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Run } from './events.ts';

type E = { type: 'tick'; n: number } | { type: 'done'; total: number };

function counting(limit: number) {
  let started = 0;
  const run = new Run<E, number>(async function* () {
    started++;
    for (let n = 1; n <= limit; n++) yield { type: 'tick', n };
    yield { type: 'done', total: limit };
  }, (done) => done.total);
  return { run, started: () => started };
}

test('a Run is lazy, awaitable once for its result, and iterable for its events', async () => {
  const { run, started } = counting(3);
  assert.equal(started(), 0);
  assert.equal(await run, 3);
  assert.equal(await run, 3); // the same result, not a second run
  assert.equal(started(), 1);
  const events: E[] = [];
  for await (const e of counting(2).run) events.push(e);
  assert.deepEqual(events.map((e) => e.type), ['tick', 'tick', 'done']);
});

test('a Run cannot be iterated twice', async () => {
  const { run } = counting(1);
  for await (const _ of run) void _;
  assert.throws(() => run[Symbol.asyncIterator](), /once/);
});
