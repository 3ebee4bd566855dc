import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderedEvents } from './ordered-events.ts';
import { collect } from './test-support.ts';

/** A promise and the functions that settle it, for deciding the order things finish in. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

test('events leave in push order, whatever order their promises settle in', async () => {
  const queue = new OrderedEvents<string>();
  const [a, b] = [deferred<string>(), deferred<string>()];
  queue.push('progress 1');
  queue.push(a.promise);
  queue.push('progress 2');
  queue.push(b.promise);
  queue.push('progress 3');
  assert.deepEqual([...queue.ready()], ['progress 1']); // the head now waits on a
  b.resolve('preview b');
  await b.promise;
  assert.deepEqual([...queue.ready()], []); // b is ready, but a is before it
  assert.ok(queue.blocked);
  a.resolve('preview a');
  assert.deepEqual(await collect(queue.drain()), ['preview a', 'progress 2', 'preview b', 'progress 3']);
  assert.equal(queue.size, 0);
});

test('a failed event throws where it would have been emitted, not before', async () => {
  const queue = new OrderedEvents<string>();
  queue.push('first');
  queue.push(Promise.reject(new Error('decoder broke')));
  queue.push('after');
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const e of queue.drain()) seen.push(e);
  }, /decoder broke/);
  assert.deepEqual(seen, ['first']);
});

test('an abort stops the wait for a pending event with the signal\'s reason', async () => {
  const queue = new OrderedEvents<string>();
  const never = deferred<string>();
  queue.push(never.promise);
  const controller = new AbortController();
  const waiting = collect(queue.drain(controller.signal));
  controller.abort();
  await assert.rejects(waiting, { name: 'AbortError' });
});

test('events abandoned mid-run leave no unhandled rejection behind', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const queue = new OrderedEvents<string>();
  const late = deferred<string>();
  queue.push(late.promise); // the run stops (an abort) before anyone waits on it
  late.reject(new Error('worker closed'));
  await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, []);
});
