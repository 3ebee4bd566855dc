/**
 * Previews that decode beside the decode loop (as in the VQ worker): a codec whose decodes answer
 * late, several steps on, must give the same events in the same order as one that answers at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from './engine.ts';
import type { GenerateEvent, RgbaImage } from './events.ts';
import { BlockCodec, collect, countDecodes, tinyContext } from './test-support.ts';

/** The block codec, answering each batched decode only after `delay` ms (a worker busy elsewhere). */
class LateCodec extends BlockCodec {
  failAt?: number;
  onCallingThread?: BlockCodec;
  constructor(private readonly delay: number) {
    super();
  }

  override async decodePartialBatch(codes: readonly ArrayLike<number>[], rows: number): Promise<RgbaImage[]> {
    const images = await super.decodePartialBatch(codes.map((c) => Array.from(c)), rows); // read now, as a worker copies on send
    await new Promise((resolve) => setTimeout(resolve, this.delay));
    if (rows === this.failAt) throw new Error(`preview of row ${rows} failed`);
    return images;
  }
}

const prompt = { prompt: 'two stars', seed: 3, score: false } as const;
const now = new Engine(await tinyContext(new BlockCodec()));
const lateCtx = await tinyContext(new LateCodec(15));
const late = new Engine(lateCtx);

test('late previews: the same events, in the same order, as previews decoded in place', async () => {
  for (const options of [{ n: 1 }, { n: 3 }, { n: 3, previews: [1] }, { n: 2, previewEvery: 3 }]) {
    const expected: GenerateEvent[] = await collect(now.generate({ ...prompt, ...options }));
    const events: GenerateEvent[] = await collect(late.generate({ ...prompt, ...options }));
    assert.deepEqual(events, expected, JSON.stringify(options));
  }
});

test('cancelling while previews are pending rejects with AbortError within one step', async () => {
  const controller = new AbortController();
  const calls = countDecodes(lateCtx);
  let seen = 0;
  let decodesAtAbort = -1;
  await assert.rejects(async () => {
    for await (const e of late.generate({ ...prompt, n: 2, signal: controller.signal })) {
      if (e.type === 'progress' && ++seen === 60) {
        controller.abort();
        decodesAtAbort = calls.length;
      }
    }
  }, { name: 'AbortError' });
  await new Promise((resolve) => setTimeout(resolve, 50)); // nothing runs on after the rejection
  lateCtx.session.decode = Object.getPrototypeOf(lateCtx.session).decode;
  assert.equal(calls.length, decodesAtAbort); // no step decoded after the abort
});

test('a preview that fails rejects the run at its place in the stream', async () => {
  const codec = new LateCodec(1);
  codec.failAt = 5;
  const engine = new Engine(await tinyContext(codec));
  const partials: number[] = [];
  await assert.rejects(async () => {
    for await (const e of engine.generate({ ...prompt })) if (e.type === 'partial') partials.push(e.rows);
  }, /preview of row 5 failed/);
  assert.deepEqual(partials, [1, 2, 3, 4]);
});

test('the first preview, awaited at once, decodes on the calling thread; the rest beside the loop', async () => {
  const here = new BlockCodec();
  const elsewhere = Object.assign(new LateCodec(1), { onCallingThread: here });
  const events: GenerateEvent[] = await collect(new Engine(await tinyContext(elsewhere)).generate({ ...prompt, n: 2 }));
  assert.equal(here.calls.partialBatch, 1);
  assert.equal(elsewhere.calls.partialBatch, 16); // the other candidate's first row, then one call per row
  assert.deepEqual(events, await collect(now.generate({ ...prompt, n: 2 })));
});
