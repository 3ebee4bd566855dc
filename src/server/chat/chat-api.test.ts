import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage } from '../../engine/index.ts';
import { chatApp, events, parseEvents, pngBase64, post } from './test-support.ts';
import type { ConversationSummary, ConversationView, MessageView, StreamEvent } from './wire.ts';

const { app, store, model } = await chatApp();
const chatCalls: ChatMessage[][] = [];
const realChat = model.engine.chat.bind(model.engine);
model.engine.chat = (messages, options) => {
  chatCalls.push([...messages]);
  return realChat(messages, options);
};

async function newConversation(): Promise<string> {
  const res = await post(app, '/api/conversations', {});
  assert.equal(res.status, 201);
  return ((await res.json()) as ConversationSummary).id;
}

const done = (list: StreamEvent[]) => {
  const last = list.at(-1)!;
  assert.equal(last.type, 'done', JSON.stringify(last).slice(0, 300));
  return (last as Extract<StreamEvent, { type: 'done' }>).message;
};

test('conversations: create, list, rename, get, delete, and 404s in the server error shape', async () => {
  const id = await newConversation();
  const renamed = await app.request(`/api/conversations/${id}`, { method: 'PATCH', body: JSON.stringify({ title: 'Foxes' }) });
  assert.equal(((await renamed.json()) as ConversationSummary).title, 'Foxes');
  const list = (await (await app.request('/api/conversations')).json()) as { data: ConversationSummary[] };
  assert.ok(list.data.some((c) => c.id === id && c.title === 'Foxes'));
  assert.equal((await app.request(`/api/conversations/${id}`, { method: 'DELETE' })).status, 204);
  const missing = await app.request(`/api/conversations/${id}`);
  assert.equal(missing.status, 404);
  const body = (await missing.json()) as { error: { message: string; type: string; code: string } };
  assert.equal(body.error.type, 'invalid_request_error');
  assert.match(body.error.message, /No conversation/);
});

test('a prompt streams progress, row-by-row pixel bands, the image, then the committed reply', async () => {
  const id = await newConversation();
  const list = await events(await post(app, `/api/conversations/${id}/messages`, { text: 'a red star', seed: 4 }));
  assert.equal(list[0].type, 'user');
  const partials = list.filter((e) => e.type === 'partial');
  assert.equal(partials.length, 16, 'one band per grid row');
  partials.forEach((p, i) => {
    assert.equal(p.rows, i + 1);
    assert.equal(p.y, i * 8);
    assert.equal(Buffer.from(p.rgba!, 'base64').length, 128 * p.bandHeight * 4);
  });
  assert.ok(list.findIndex((e) => e.type === 'partial') < list.findIndex((e) => e.type === 'image'));
  const message = done(list);
  assert.equal(message.role, 'assistant');
  assert.equal(message.images.length, 1);
  const image = await app.request(message.images[0].url!);
  assert.equal(image.headers.get('content-type'), 'image/png');
  assert.deepEqual([...new Uint8Array(await image.arrayBuffer()).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  const download = await app.request(`${message.images[0].url}?download=1`);
  assert.match(download.headers.get('content-disposition')!, /^attachment; filename="tessera-[0-9a-f]{8}\.png"$/);
  const stored = (await (await app.request(`/api/conversations/${id}`)).json()) as ConversationView;
  assert.equal(stored.title, 'a red star');
  assert.deepEqual(stored.messages.map((m) => m.role), ['user', 'assistant']);
});

test('best-of-N: n candidates with scores, the best chosen; choosing another moves the choice', async () => {
  const id = await newConversation();
  const message = done(await events(await post(app, `/api/conversations/${id}/messages`, { text: 'two blue stars', n: 3, seed: 1 })));
  assert.equal(message.params.mode, 'generate');
  assert.equal(message.images.length, 3);
  const scores = message.images.map((im) => im.score!);
  const best = message.images.find((im) => im.chosen)!;
  assert.equal(best.score, Math.max(...scores));
  const other = message.images.find((im) => !im.chosen)!;
  const chosen = (await (await post(app, `/api/images/${other.id}/choose`, {})).json()) as MessageView;
  assert.deepEqual(chosen.images.filter((im) => im.chosen).map((im) => im.id), [other.id]);
});

test('multi-turn: the earlier chosen image and text go back to engine.chat as context', async () => {
  const id = await newConversation();
  const first = done(await events(await post(app, `/api/conversations/${id}/messages`, { text: 'a cat with a hat', seed: 2 })));
  chatCalls.length = 0;
  done(await events(await post(app, `/api/conversations/${id}/messages`, { text: 'now next to a tree', seed: 3 })));
  const [history] = chatCalls;
  assert.deepEqual(history.map((m) => m.role), ['user', 'assistant', 'user']);
  const part = (history[1].content as { image: { codes: Uint16Array } }[])[0];
  assert.deepEqual(part.image.codes, store.getImage(first.images[0].id).codes);
  assert.deepEqual(history[2].content, [{ text: 'now next to a tree' }]);
});

test('an uploaded image joins the user message; a brush mask edit keeps every unmasked cell', async () => {
  const id = await newConversation();
  const upload = await pngBase64(40, [200, 30, 30]);
  const list = await events(await post(app, `/api/conversations/${id}/messages`, { text: 'make it nicer', images: [`data:image/png;base64,${upload}`], seed: 5 }));
  const user = (list[0] as Extract<StreamEvent, { type: 'user' }>).message;
  assert.equal(user.images[0].kind, 'upload');
  assert.deepEqual([user.images[0].width, user.images[0].height], [128, 128], 'letterboxed to the model size');
  const source = done(list).images[0];

  const mask = await pngBase64(128, [0, 0, 0], (_x, y) => y < 64); // the top half is the region to edit
  const edit = await events(await post(app, `/api/conversations/${id}/edits`, { imageId: source.id, instruction: 'add a moon', mask, seed: 6 }));
  const editUser = (edit[0] as Extract<StreamEvent, { type: 'user' }>).message;
  assert.equal(editUser.editOf, source.id);
  assert.equal(editUser.images[0].kind, 'mask');
  const edited = store.getImage(done(edit).images[0].id).codes!;
  const before = store.getImage(source.id).codes!;
  assert.deepEqual(edited.subarray(128), before.subarray(128), 'the bottom eight grid rows are locked');
  assert.notDeepEqual(edited.subarray(0, 128), before.subarray(0, 128));
});

test('regenerate replaces the last reply; a cancelled stream commits nothing and frees the conversation', async () => {
  const id = await newConversation();
  const first = done(await events(await post(app, `/api/conversations/${id}/messages`, { text: 'a green square', seed: 7 })));
  const again = done(await events(await post(app, `/api/conversations/${id}/regenerate`, { seed: 8 })));
  let view = (await (await app.request(`/api/conversations/${id}`)).json()) as ConversationView;
  assert.deepEqual(view.messages.map((m) => m.id).slice(1), [again.id]);
  assert.notEqual(again.id, first.id);

  const res = await post(app, `/api/conversations/${id}/messages`, { text: 'a purple circle' });
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('event: partial')) text += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  await new Promise((resolve) => setTimeout(resolve, 50));
  view = (await (await app.request(`/api/conversations/${id}`)).json()) as ConversationView;
  assert.deepEqual(view.messages.map((m) => m.role), ['user', 'assistant', 'user'], 'the user turn stays; no reply was committed');
  const retry = done(await events(await post(app, `/api/conversations/${id}/regenerate`, {})));
  assert.equal(retry.seq, 3, 'regenerate answers the dangling user turn');
});

test('bad requests: 400 naming the field, before anything is stored', async () => {
  const id = await newConversation();
  const cases: [unknown, RegExp][] = [
    [{ text: '' }, /'text'/],
    [{ text: 'x', colour: 'red' }, /Unknown parameter: 'colour'/],
    [{ text: 'x', n: 99 }, /'n'/],
    [{ text: 'x', n: 2, reply: 'text' }, /best-of-N/],
    [{ text: 'x', images: ['not base64!'] }, /'images.0'/],
    [{ text: 'x', images: [Buffer.from('not an image').toString('base64')] }, /images.0/],
  ];
  for (const [body, message] of cases) {
    const res = await post(app, `/api/conversations/${id}/messages`, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(((await res.json()) as { error: { message: string } }).error.message, message);
  }
  const edit = await post(app, `/api/conversations/${id}/edits`, { imageId: 'nope', instruction: 'x' });
  assert.equal(edit.status, 404);
  assert.equal((await post(app, `/api/conversations/${id}/regenerate`, {})).status, 409);
  assert.equal(((await (await app.request(`/api/conversations/${id}`)).json()) as ConversationView).messages.length, 0);
});

test('one reply at a time per conversation: a second turn meanwhile gets 409', async () => {
  const id = await newConversation();
  const first = await post(app, `/api/conversations/${id}/messages`, { text: 'slow' });
  const second = await post(app, `/api/conversations/${id}/messages`, { text: 'fast' });
  assert.equal(second.status, 409);
  assert.equal(((await second.json()) as { error: { code: string } }).error.code, 'conversation_busy');
  done(parseEvents(await first.text()));
});

test('with an API key, the chat API needs it as a Bearer token', async () => {
  const { app: keyed, store: keyedStore } = await chatApp({ model, apiKey: 'sk-chat' });
  assert.equal((await keyed.request('/api/conversations')).status, 401);
  const ok = await keyed.request('/api/conversations', { headers: { Authorization: 'Bearer sk-chat' } });
  assert.equal(ok.status, 200);
  keyedStore.close();
});
