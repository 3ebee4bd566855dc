import assert from 'node:assert/strict';
import { test } from 'node:test';
import { beamSearch } from './beam-search.ts';
import { allowedNext, advance, constrain, type GrammarRules, initialState } from './constraints.ts';
import { decodeTokens } from './decode-loop.ts';
import { EngineError } from './errors.ts';
import { logSoftmax } from './logits.ts';
import { promptIds } from './prompt.ts';
import { asciiTokenizer, countDecodes, tinyContext } from './test-support.ts';

const ctx = await tinyContext(undefined);
const { vocab } = ctx.config;
const codes = Array.from({ length: 256 }, (_, i) => (i * 7) % 256);
const prompt = promptIds('i2t', [{ role: 'user', parts: [{ codes }, { text: 'describe the image' }] }], asciiTokenizer, vocab, { imageTokens: 256 });
const rules: GrammarRules = { reply: 'text', imageTokens: 256 };

/** The reply's summed log-probability, teacher-forced in one prefill of prompt + reply (no cache reuse). */
async function scoreOf(reply: readonly number[]): Promise<number> {
  const { logits, T } = await ctx.session.prefill([[...prompt, ...reply]]);
  let state = initialState();
  let logp = 0;
  reply.forEach((token, i) => {
    const at = T - reply.length - 1 + i;
    const scores = logSoftmax(constrain(logits.subarray(at * vocab.size, (at + 1) * vocab.size), allowedNext(state, rules, vocab), vocab));
    logp += scores[token];
    state = advance(state, token, rules, vocab);
  });
  return logp;
}

test('one beam is greedy decoding', async () => {
  const greedy: number[] = [];
  const options = { cfg: 1, sampling: { temperature: 0, topK: 0, topP: 1 }, seed: 0, rules, maxNewTokens: 20 };
  for await (const { tokens } of decodeTokens(ctx.session, [prompt], undefined, options)) if (tokens[0] >= 0) greedy.push(tokens[0]);
  const [reply, ...others] = await beamSearch(ctx.session, prompt, { beams: 1, maxNewTokens: 20, rules });
  assert.deepEqual(reply.tokens, greedy);
  assert.equal(others.length, 0);
});

test('each beam reads its own history: the reply\'s log-probability is what a fresh prefill of it gives', async () => {
  // Hypotheses change rows between steps (KVCache.reorderTail); a row that read another's reply would score otherwise.
  for (const beams of [2, 4]) {
    const replies = await beamSearch(ctx.session, prompt, { beams, maxNewTokens: 16, rules });
    assert.ok(replies.length >= 1 && replies.length <= 2 * beams, `${replies.length} replies`);
    for (const { tokens, logp } of replies) {
      assert.ok(tokens.length > 0);
      const fresh = await scoreOf(tokens);
      assert.ok(Math.abs(logp - fresh) < 1e-4, `beams ${beams}, ${tokens.length} tokens: ${logp} searched, ${fresh} teacher-forced`);
    }
    const means = replies.map((r) => r.logp / r.tokens.length);
    assert.deepEqual(means, [...means].sort((a, b) => b - a), 'best first');
  }
});

test('a batch of `beams` rows a step, and bad requests fail before any call', async () => {
  const calls = countDecodes(ctx);
  await beamSearch(ctx.session, prompt, { beams: 3, maxNewTokens: 5, rules });
  assert.ok(calls.length > 0 && calls.every((rows) => rows === 3), calls.join(','));
  await assert.rejects(beamSearch(ctx.session, prompt, { beams: 0, maxNewTokens: 5, rules }), (e: unknown) => e instanceof EngineError && e.code === 'bad-input');
  await assert.rejects(beamSearch(ctx.session, prompt, { beams: 2, maxNewTokens: 1e6, rules }), (e: unknown) => e instanceof EngineError && e.code === 'too-long');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(beamSearch(ctx.session, prompt, { beams: 2, maxNewTokens: 5, rules, signal: controller.signal }), { name: 'AbortError' });
  assert.equal(calls.length, 4);
});
