import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DecodeOptions, decodeTokens, guidanceBatch } from './decode-loop.ts';
import { collect, countDecodes, decodeFixture } from './test-support.ts';

const { ctx, prompt, uncond, options } = await decodeFixture();
const { vocab } = ctx.config;

test('guidance doubles the batch: N conditional rows then N unconditional ones, prefilled once each', () => {
  const { unique, rowOf } = guidanceBatch([prompt, prompt, prompt], [uncond, uncond, uncond], 3);
  assert.deepEqual(unique, [prompt, uncond]);
  assert.deepEqual(rowOf, [0, 0, 0, 1, 1, 1]);
  assert.deepEqual(guidanceBatch([prompt, prompt], [uncond, uncond], 1).rowOf, [0, 0]); // cfg 1: no uncond rows
});

test('every decode step runs the whole CFG batch (2N rows) in one call; the twins get the same token', async () => {
  const batches = countDecodes(ctx);
  const fed: number[][] = [];
  const real = ctx.session.decode;
  ctx.session.decode = (cache, tokens, kind) => (fed.push(Array.from(tokens)), real(cache, tokens, kind));
  const steps = await collect(decodeTokens(ctx.session, [prompt, prompt], [uncond, uncond], options({ maxNewTokens: 20 })));
  ctx.session.decode = Object.getPrototypeOf(ctx.session).decode;
  assert.equal(steps.length, 20);
  assert.equal(batches.length, 19); // no decode after the last token
  assert.ok(batches.every((b) => b === 4));
  assert.ok(fed.every((row) => row[0] === row[2] && row[1] === row[3]));
  assert.deepEqual(steps.map((s) => s.tokens.length), Array(20).fill(2));
});

test('exactly 256 image codes between <boi> and <eoi>, then the rows stop', async () => {
  const steps = await collect(decodeTokens(ctx.session, [prompt], [uncond], options()));
  const tokens = steps.map((s) => s.tokens[0]);
  assert.equal(tokens.length, 258);
  assert.equal(tokens[0], vocab.specials.boi);
  assert.equal(tokens[257], vocab.specials.eoi);
  assert.equal(tokens.slice(1, 257).filter((t) => t >= vocab.image.start && t < vocab.image.start + vocab.image.size).length, 256);
  assert.equal(steps.at(-1)!.states[0].done, true);
});

test('steps inside an image compute the image codes\' logits only, the same tokens as computing every id', async () => {
  const kinds: string[] = [];
  const real = ctx.session.decode.bind(ctx.session);
  ctx.session.decode = (cache, tokens, kind) => (kinds.push(kind ?? 'all'), real(cache, tokens, kind));
  const codesOnly = await collect(decodeTokens(ctx.session, [prompt, prompt], [uncond, uncond], options()));
  // <boi> is forced at step 0; every feed after it precedes a code or the forced <eoi>.
  assert.deepEqual(kinds, Array(257).fill('codes'));
  kinds.length = 0;
  const everyId = await collect(decodeTokens(ctx.session, [prompt, prompt], [uncond, uncond], options({ fullHead: true })));
  assert.deepEqual(kinds, Array(257).fill('all'));
  ctx.session.decode = Object.getPrototypeOf(ctx.session).decode;
  assert.deepEqual(codesOnly.map((s) => Array.from(s.tokens)), everyId.map((s) => Array.from(s.tokens)));
});

test('text steps compute every id\'s logits', async () => {
  const kinds: string[] = [];
  const real = ctx.session.decode.bind(ctx.session);
  ctx.session.decode = (cache, tokens, kind) => (kinds.push(kind ?? 'all'), real(cache, tokens, kind));
  const steps = await collect(decodeTokens(ctx.session, [prompt], undefined, options({ cfg: 1, rules: { reply: 'text', imageTokens: 256 }, maxNewTokens: 12 })));
  ctx.session.decode = Object.getPrototypeOf(ctx.session).decode;
  assert.ok(steps.length > 1);
  assert.deepEqual(kinds, Array(steps.length - 1).fill('all')); // no feed after the last token
});

test('same seed, same tokens; another seed, other tokens', async () => {
  const run = async (seed: number) => (await collect(decodeTokens(ctx.session, [prompt], [uncond], options({ seed, maxNewTokens: 40 })))).map((s) => s.tokens[0]);
  const a = await run(5);
  assert.deepEqual(await run(5), a);
  assert.notDeepEqual(await run(6), a);
});

test('abort stops within one step, even when it lands during a decode call', async () => {
  const controller = new AbortController();
  const calls = countDecodes(ctx, (call) => call === 5 && controller.abort());
  await assert.rejects(collect(decodeTokens(ctx.session, [prompt], [uncond], options({ signal: controller.signal }))), { name: 'AbortError' });
  assert.equal(calls.length, 5);
  ctx.session.decode = Object.getPrototypeOf(ctx.session).decode;

  const early = new AbortController();
  early.abort();
  await assert.rejects(collect(decodeTokens(ctx.session, [prompt], [uncond], options({ signal: early.signal }))), { name: 'AbortError' });
});

test('a prompt that cannot fit its reply is refused before any work', async () => {
  await assert.rejects(collect(decodeTokens(ctx.session, [prompt], [uncond], options({ maxNewTokens: ctx.config.model.maxSeqLen }))), { name: 'EngineError', code: 'too-long' });
});

test('a head start: the leader runs alone, then the others catch up, then one batch; the same tokens as lockstep', async () => {
  const byCandidate = (steps: { tokens: Int32Array }[]) => [0, 1, 2].map((b) => steps.map((s) => s.tokens[b]).filter((t) => t >= 0));
  const n3 = (over: Partial<DecodeOptions>) => collect(decodeTokens(ctx.session, [prompt, prompt, prompt], [uncond, uncond, uncond], options({ maxNewTokens: 60, ...over })));
  const lockstep = await n3({});
  const batches = countDecodes(ctx);
  const ahead = await n3({ headStart: { candidate: 1, steps: 17 } });
  ctx.session.decode = Object.getPrototypeOf(ctx.session).decode;
  assert.deepEqual(byCandidate(ahead), byCandidate(lockstep));
  assert.deepEqual(batches, [...Array(17).fill(2), ...Array(17).fill(4), ...Array(60 - 17 - 1).fill(6)]);
  const lead = ahead.slice(0, 17);
  assert.ok(lead.every((s, i) => s.step === i && s.tokens[1] >= 0 && s.tokens[0] === -1 && s.tokens[2] === -1));
  assert.deepEqual(ahead.slice(17, 34).map((s) => s.step), lead.map((s) => s.step)); // the others repeat steps 0..16
  assert.deepEqual(ahead.slice(34).map((s) => s.step), Array.from({ length: 60 - 17 }, (_, i) => 17 + i));
});

test('a call releases its caches when it ends, and when its consumer stops early', async () => {
  const made: import('./kv-cache.ts').KVCache[] = [];
  const real = ctx.session.prefill;
  ctx.session.prefill = async (rows, grow) => {
    const out = await real.call(ctx.session, rows, grow);
    made.push(out.cache);
    return out;
  };
  try {
    await collect(decodeTokens(ctx.session, [prompt, prompt], [uncond, uncond], options({ maxNewTokens: 20 })));
    for await (const step of decodeTokens(ctx.session, [prompt], [uncond], options({ maxNewTokens: 20 }))) if (step.step === 3) break;
  } finally {
    ctx.session.prefill = real;
  }
  assert.equal(made.length, 2);
  for (const cache of made) assert.throws(() => cache.select([0]), /after release/);
});
