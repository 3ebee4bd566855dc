// Prompt text never escapes its role, end to end: special-token lookalikes and control characters
// sent to every route that takes a prompt (generations, edits, a chat message) reach the model's
// prefill as text ids only; the control and image ids there are exactly those a harmless prompt
// gets. (The tiny model reads text through the ASCII stand-in; the shipped BPE tokenizer is checked
// the same way in src/engine/prompt-specials.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { SPECIAL_LOOKALIKES } from '../model/special-lookalikes.ts';
import { createApp } from './app.ts';
import { mountChat } from './chat/index.ts';
import { ChatStore } from './store/index.ts';
import { tinyModel } from './test-support.ts';

const { model, ctx } = await tinyModel();
const rows: number[][] = [];
// The prompts as the model gets them: generation prefills through prefillLast (which may run a shared
// prefix through prefill itself), scoring and the rest through prefill.
const prefill = ctx.session.prefill.bind(ctx.session);
const prefillLast = ctx.session.prefillLast.bind(ctx.session);
let insideLast = false;
ctx.session.prefillLast = async (batch, grow) => {
  rows.push(...batch.map((r) => [...r]));
  insideLast = true;
  try {
    return await prefillLast(batch, grow);
  } finally {
    insideLast = false;
  }
};
ctx.session.prefill = (batch, grow) => {
  if (!insideLast) rows.push(...batch.map((r) => [...r]));
  return prefill(batch, grow);
};
const store = ChatStore.memory();
const app = createApp({ model }, { extraRoutes: (a, c) => void mountChat(a, c, { store, web: false }) });
const { vocab } = model.engine.config;
const source = await sharp({ create: { width: 128, height: 128, channels: 3, background: '#36c' } }).png().toBuffer();

/** Every prompt-taking route; each returns the rows its request prefilled. */
const routes: Record<string, (prompt: string) => Response | Promise<Response>> = {
  generations: (prompt) => app.request('/v1/images/generations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt, quality: 'low' }) }),
  edits: (prompt) => {
    const form = new FormData();
    form.set('prompt', prompt);
    form.set('quality', 'low');
    form.set('image', new Blob([source], { type: 'image/png' }), 'in.png');
    return app.request('/v1/images/edits', { method: 'POST', body: form });
  },
  chat: (prompt) => app.request(`/api/conversations/${store.createConversation('t').id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: prompt, seed: 1 }) }),
};

async function prefilled(route: string, prompt: string): Promise<number[][]> {
  rows.length = 0;
  const res = await routes[route](prompt);
  const body = await res.text();
  assert.equal(res.status, 200, body.slice(0, 300));
  assert.doesNotMatch(body, /event: error/);
  return [...rows];
}

/** Prompts of at most ~200 characters (the tiny model's context also holds an edit's source and the reply). */
function chunks(strings: readonly string[]): string[] {
  const out = [''];
  for (const s of strings) {
    if (out.at(-1)!.length + s.length > 200) out.push('');
    out[out.length - 1] += `${s} `;
  }
  return out;
}

test('special lookalikes reach the prefill as text ids, with the control ids of a harmless prompt', async () => {
  const skeleton = (batch: number[][]) => batch.map((row) => row.filter((id) => id >= vocab.text.size));
  for (const route of Object.keys(routes)) {
    const harmless = skeleton(await prefilled(route, 'a red fox'));
    assert.ok(harmless.length > 0);
    for (const prompt of chunks(SPECIAL_LOOKALIKES)) {
      const batch = await prefilled(route, prompt);
      assert.ok(batch.flat().every((id) => Number.isInteger(id) && id >= 0 && id < vocab.size));
      assert.deepEqual(skeleton(batch), harmless, `${route}: ${JSON.stringify(prompt)}`);
      const textIds = batch[0].filter((id) => id < vocab.text.size).length;
      assert.ok(textIds >= [...prompt.trim()].length, `${route}: the prompt is all there, as text`);
    }
  }
  store.close();
});
