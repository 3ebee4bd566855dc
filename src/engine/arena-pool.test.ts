import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArenaPool } from './arena-pool.ts';

test('take hands back the smallest kept buffer that fits, up to twice the size asked, else new memory', () => {
  const pool = new ArenaPool();
  const [small, middle, large] = [new ArrayBuffer(1000), new ArrayBuffer(1500), new ArrayBuffer(5000)];
  pool.give([large, middle, small]);
  assert.equal(pool.bytesHeld, 7500);
  assert.equal(pool.take(1200), middle);
  assert.equal(pool.bytesHeld, 6000);
  const fresh = pool.take(1200); // 1,000 is too small, 5,000 more than twice
  assert.ok(fresh !== small && fresh !== large);
  assert.equal(fresh.byteLength, 1200);
  assert.equal(pool.take(900), small);
  assert.equal(pool.take(4000), large);
  assert.equal(pool.bytesHeld, 0);
});

test('give keeps at most maxBytes, dropping the oldest; empty and already kept buffers are not kept twice', () => {
  const pool = new ArenaPool(2500);
  const [a, b, c] = [new ArrayBuffer(1000), new ArrayBuffer(1000), new ArrayBuffer(1000)];
  pool.give([a, b, new ArrayBuffer(0), a]);
  assert.equal(pool.bytesHeld, 2000);
  pool.give([c]);
  assert.equal(pool.bytesHeld, 2000);
  const kept = [pool.take(1000), pool.take(1000)];
  assert.ok(kept.includes(b) && kept.includes(c) && !kept.includes(a), 'the oldest, a, was dropped');
});
