import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../world/random.ts';
import { type DecodeOptions, decodeTokens } from './decode-loop.ts';
import { imageRules } from './constraints.ts';
import { FORCED_RUN, type JacobiStats, verifyDraft } from './jacobi.ts';
import { collect, decodeFixture } from './test-support.ts';

const { ctx, prompt, uncond, options } = await decodeFixture();
const { vocab } = ctx.config;
const run = async (n: number, over: Partial<DecodeOptions>) => {
  const steps = await collect(decodeTokens(ctx.session, Array(n).fill(prompt), Array(n).fill(uncond), options(over)));
  return Array.from({ length: n }, (_, b) => steps.map((s) => s.tokens[b]).filter((t) => t >= 0));
};
const stats = (): JacobiStats => ({ calls: 0, drafted: 0, accepted: 0 });

test('greedy: Jacobi windows give the sequential tokens, with fewer graph calls', async () => {
  const greedy = { sampling: { temperature: 0, topK: 0, topP: 1 } };
  const sequential = await run(2, greedy);
  for (const window of [4, 16]) {
    const s = stats();
    assert.deepEqual(await run(2, { ...greedy, jacobi: { window, stats: s } }), sequential, `window ${window}`);
    assert.ok(s.calls < 257, `window ${window}: ${s.calls} calls`);
  }
  // cfg 1 (no unconditional rows) as well
  assert.deepEqual(await run(1, { ...greedy, cfg: 1, jacobi: { window: 6 } }), await run(1, { ...greedy, cfg: 1 }));
});

test('sampling: every candidate gets <boi>, 256 codes, <eoi>; the statistics add up', async () => {
  const s = stats();
  const tokens = await run(3, { jacobi: { window: 8, stats: s } });
  for (const t of tokens) {
    assert.equal(t.length, 258);
    assert.equal(t[0], vocab.specials.boi);
    assert.equal(t[257], vocab.specials.eoi);
    assert.ok(t.slice(1, 257).every((id) => id >= vocab.image.start && id < vocab.image.start + vocab.image.size));
  }
  assert.ok(s.accepted <= s.drafted && s.accepted > 0, JSON.stringify(s));
  // each call emits, per live candidate, its accepted drafts + one token: 257 tokens after the first
  assert.ok(s.calls >= Math.ceil(257 / 8) && s.calls < 257, JSON.stringify(s));
  assert.deepEqual(await run(3, { jacobi: { window: 8 } }), tokens); // seeded: reproducible
});

test('locked cells ride along outside the window: a masked edit keeps them and takes a few calls', async () => {
  const locks = Int32Array.from({ length: 256 }, (_, i) => (i * 37) % vocab.image.size);
  const free = [100, 101, 116, 117]; // a 2x2 patch of cells the model samples
  for (const i of free) locks[i] = -1;
  const s = stats();
  const [tokens] = await run(1, { rules: imageRules(locks), jacobi: { window: 4, stats: s } });
  assert.equal(tokens.length, 258);
  tokens.slice(1, 257).forEach((id, i) => {
    if (locks[i] >= 0) assert.equal(id, vocab.image.start + locks[i], `cell ${i}`);
  });
  // 256 codes at <= 3 drafts a call would take >= 64 calls; with the runs, <= 63 forced a call
  assert.ok(s.calls < 20, JSON.stringify(s));
  assert.ok(s.calls >= Math.ceil(256 / (FORCED_RUN + 1)), JSON.stringify(s));
});

test('the accept/resample rule samples p exactly, whatever the draft distribution q', () => {
  const p = Float64Array.of(0.5, 0.3, 0.2, 0);
  const q = Float64Array.of(0.1, 0.2, 0.3, 0.4);
  const rng = new Random(3);
  const counts = new Float64Array(4);
  const draws = 200_000;
  let accepted = 0;
  for (let i = 0; i < draws; i++) {
    const u = rng.next();
    const draft = u < 0.1 ? 0 : u < 0.3 ? 1 : u < 0.6 ? 2 : 3; // d ~ q
    const verdict = verifyDraft(draft, q, p, () => rng.next());
    counts[verdict.token]++;
    accepted += Number(verdict.accepted);
  }
  counts.forEach((c, i) => assert.ok(Math.abs(c / draws - p[i]) < 0.005, `token ${i}: ${c / draws} vs ${p[i]}`));
  assert.ok(Math.abs(accepted / draws - 0.5) < 0.005); // the acceptance rate is sum min(p, q) = 1 - TV(p, q)
});

test('abort stops a Jacobi run within one call', async () => {
  const controller = new AbortController();
  let calls = 0;
  const real = ctx.session.decodeWindow.bind(ctx.session);
  ctx.session.decodeWindow = (cache, tokens, T, kind) => (++calls === 5 && controller.abort(), real(cache, tokens, T, kind));
  await assert.rejects(run(2, { jacobi: { window: 8 }, signal: controller.signal }), { name: 'AbortError' });
  ctx.session.decodeWindow = Object.getPrototypeOf(ctx.session).decodeWindow;
  assert.equal(calls, 5);
});
