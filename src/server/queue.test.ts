import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from './errors.ts';
import { GenerationQueue } from './queue.ts';

test('slots go first come, first served; a release hands the slot straight on', async () => {
  const queue = new GenerationQueue(1, 2);
  const first = await queue.acquire();
  const order: string[] = [];
  const second = queue.acquire().then((release) => (order.push('second'), release));
  const third = queue.acquire().then((release) => (order.push('third'), release));
  assert.deepEqual([queue.running, queue.waiting], [1, 2]);
  first();
  first(); // idempotent: does not free a second slot
  const releaseSecond = await second;
  assert.deepEqual([queue.running, queue.waiting, order], [1, 1, ['second']]);
  releaseSecond();
  (await third)();
  assert.deepEqual([queue.running, queue.waiting, order], [0, 0, ['second', 'third']]);
});

test('past the waiting room: 429 with a Retry-After of at least a second', async () => {
  const queue = new GenerationQueue(2, 0, 4_000);
  await queue.acquire();
  await queue.acquire();
  await assert.rejects(queue.acquire(), (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 429);
    assert.equal(error.headers['Retry-After'], '2'); // 4 s a run, 2 slots, 1 ahead
    return true;
  });
});

test('a waiter whose signal aborts leaves the line; an aborted signal never queues', async () => {
  const queue = new GenerationQueue(1, 1);
  const held = await queue.acquire();
  const controller = new AbortController();
  const waiting = queue.acquire(controller.signal);
  assert.equal(queue.waiting, 1);
  controller.abort();
  await assert.rejects(waiting, { name: 'AbortError' });
  assert.equal(queue.waiting, 0);
  await assert.rejects(queue.acquire(controller.signal), { name: 'AbortError' });
  held();
  assert.equal(queue.running, 0);
});
