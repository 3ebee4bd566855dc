/**
 * Malformed requests to every write surface of the server (images generations and edits, the chat
 * API), in families that each break one rule: bad image bytes, decompression bombs, broken
 * multipart, bad JSON and UTF-8, over-long prompts, unknown fields, values out of range or of the
 * wrong type, hostile ids and paths, big headers and bodies. Every one must be refused with a 4xx in
 * OpenAI's error shape (send.ts checks), before it reaches the generation queue.
 *
 * `hostileRequests(n, targets, seed)` takes the families in turn, each drawing a variant from a
 * seeded generator, so a run is reproducible and every family is covered whatever n is.
 *
 * @example
 *   const requests = hostileRequests(1000, await hostileTargets({ conversationId }), 1);
 */
import { garbageAfter, type ImageSamples, imageSamples, jpegDeclaring, otherFormats, pngDeclaring, SIGNATURES, truncated, webpDeclaring } from './images.ts';
import { DEFAULT_LIMITS } from '../options.ts';
import { BOUNDARY, type FormPart, multipart, multipartType } from './multipart.ts';

export interface HostileRequest {
  family: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** The exact status when the case knows it; otherwise any 4xx but 429 will do. */
  expect?: number;
  /** `body` is the whole request, HTTP head included, written to a bare socket (method, path and headers unused). */
  raw?: true;
}

export interface HostileTargets {
  samples: ImageSamples;
  others: Record<string, Uint8Array>;
  /** An empty conversation: chat requests go to it (none may add a message, so regenerate has nothing to redo). */
  conversationId: string;
  /** Another conversation with a generated image, so the mask checks of chat edits are reached (else they are 404s). */
  editTarget?: { conversationId: string; imageId: string };
  /** Sent on every request but the auth family's. */
  apiKey?: string;
  /** Allow bodies of many megabytes (the bench; the test suite stays small). */
  big?: boolean;
}

export async function hostileTargets(options: Omit<HostileTargets, 'samples' | 'others'>): Promise<HostileTargets> {
  return { samples: await imageSamples(), others: await otherFormats(), ...options };
}

type Rng = () => number;

/** mulberry32: a small seeded generator. */
function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const noise = (r: Rng, n: number) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
const text = (s: string) => new TextEncoder().encode(s);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const JSON_TYPE = { 'content-type': 'application/json' };

type Case = Omit<HostileRequest, 'family'>;
type Family = (r: Rng, t: HostileTargets) => Case;

// ---- edits: one thing wrong with an otherwise valid request ----

const editForm = (parts: FormPart[], expect?: number): Case => ({
  method: 'POST',
  path: '/v1/images/edits',
  headers: { 'content-type': multipartType() },
  body: multipart(parts),
  ...(expect ? { expect } : {}),
});
const prompt: FormPart = { name: 'prompt', value: 'make it blue' };
const low: FormPart = { name: 'quality', value: 'low' };
const file = (data: Uint8Array, name = 'image', filename = 'in.png'): FormPart => ({ name, filename, data, type: 'image/png' });
const sample = (r: Rng, t: HostileTargets) => t.samples[pick(r, ['png', 'jpeg', 'webp'] as const)];

/** Decompression bombs and oversized images: headers that claim more pixels than the limit (4096x4096). */
function bomb(r: Rng, t: HostileTargets): Uint8Array {
  const kind = pick(r, ['png', 'png', 'jpeg', 'webp']);
  if (kind === 'png') {
    const [w, h] = pick(r, [[30000, 30000], [65535, 65535], [4097, 4097], [100000, 200], [1, 20_000_000], [2 ** 31 - 1, 2 ** 31 - 1]]);
    return pngDeclaring(w, h);
  }
  if (kind === 'jpeg') return jpegDeclaring(t.samples.jpeg, ...pick<[number, number]>(r, [[30000, 30000], [65535, 65535], [4097, 4097], [65535, 300]]));
  return webpDeclaring(t.samples.webp, ...pick<[number, number]>(r, [[16383, 16383], [4200, 4200], [16383, 1100]]));
}

function corruptImage(r: Rng, t: HostileTargets): Uint8Array {
  const v = Math.floor(r() * 4);
  if (v === 0) return truncated(sample(r, t), 0.05 + r() * 0.85);
  if (v === 1) return garbageAfter(pick(r, Object.values(SIGNATURES)), noise(r, Math.floor(r() * 2000)));
  if (v === 2) return noise(r, 1 + Math.floor(r() * 4000));
  return new Uint8Array(0);
}

const editFamilies: Record<string, Family> = {
  'edit/corrupt-image': (r, t) => editForm([prompt, low, file(corruptImage(r, t))], 400),
  'edit/decompression-bomb': (r, t) => editForm([prompt, low, file(bomb(r, t))], 400),
  'edit/other-format': (r, t) => editForm([prompt, low, file(pick(r, Object.values(t.others)))], 400),
  'edit/bad-mask': (r, t) => {
    const { png, jpeg } = t.samples;
    const mask = pick(r, [jpeg, png /* no alpha */, truncated(t.samples.mask, 0.3 + r() * 0.6), pngDeclaring(30000, 30000), t.others.svg]);
    return editForm([prompt, low, file(png), file(mask, 'mask', 'mask.png')], 400);
  },
  'edit/broken-multipart': (r, t) => {
    const valid = multipart([prompt, low, file(t.samples.png)]);
    const v = Math.floor(r() * 8);
    const as = (contentType: string, body: Uint8Array): Case => ({ method: 'POST', path: '/v1/images/edits', headers: { 'content-type': contentType }, body, expect: 400 });
    if (v === 0) return as('multipart/form-data', valid); // no boundary
    if (v === 1) return as(multipartType('some-other-boundary'), valid);
    if (v === 2) return as(multipartType(), valid.subarray(0, Math.floor(valid.length * (0.05 + r() * 0.9)))); // cut anywhere
    if (v === 3) return as(multipartType(), multipart([prompt, low, file(t.samples.png)], BOUNDARY, false)); // no closing delimiter
    if (v === 4) return as(multipartType(), multipart([prompt, { rawHeaders: 'Content-Type: image/png', data: t.samples.png }])); // a part with no name
    if (v === 5) return as(pick(r, ['application/json', 'text/plain', 'application/x-www-form-urlencoded']), valid);
    if (v === 6) return as(multipartType(), new Uint8Array(0));
    return as(multipartType(), noise(r, 10 + Math.floor(r() * 3000)));
  },
  'edit/wrong-field-names': (r, t) => {
    const { png } = t.samples;
    return editForm(pick(r, [
      [prompt, low, file(png, pick(r, ['images', 'file', 'img', 'image[0]', 'photo', 'Image']))],
      [prompt, low, { name: 'image', value: b64(png) }], // the image as a text field
      [prompt, low, file(png), { name: 'mask', value: 'not a file' }],
      [file(text('make it blue'), 'prompt', 'prompt.txt'), low, file(png)], // the prompt as a file
      [low, file(png)], // no prompt
      [prompt, low],  // no image
    ] as FormPart[][]), 400);
  },
  'edit/several-images': (r, t) => {
    const { png, jpeg } = t.samples;
    const names = pick(r, [['image', 'image'], ['image', 'image[]'], ['image[]', 'image[]'], ['image[]', 'image[]', 'image[]', 'image[]', 'image[]']]);
    return editForm([prompt, low, ...names.map((name, i) => file(i % 2 ? jpeg : png, name, `${i}.png`))], 400);
  },
  'edit/bad-field': (r, t) => {
    const [name, value] = pick(r, [
      ['n', '0'], ['n', '11'], ['n', 'three'], ['n', '1.5'], ['n', '-1'], ['n', ''], ['n', '1e400'],
      ['quality', 'ultra'], ['size', '1024x1024'], ['size', '128x128x128'], ['stream', 'maybe'], ['response_format', 'url'],
      ['background', 'transparent'], ['model', '../../etc/passwd'], ['output_format', 'gif'], ['output_compression', '101'],
      ['partial_images', '4'], ['seed', '7'], ['temperature', '0.5'], ['input_fidelity', 'max'], ['__proto__', '{}'],
    ]);
    return editForm([prompt, { name, value }, file(t.samples.png)], 400);
  },
  'edit/bad-prompt': (r, t) => {
    const value = pick(r, ['', 'x'.repeat(32001), 'ab'.repeat(50000), '\u{1F98A}'.repeat(16001)]);
    return editForm([{ name: 'prompt', value }, low, file(t.samples.png)], 400);
  },
};

// ---- generations: JSON ----

const gen = (body: Uint8Array | string, headers: Record<string, string> = JSON_TYPE, expect?: number): Case => ({
  method: 'POST',
  path: '/v1/images/generations',
  headers,
  body: typeof body === 'string' ? text(body) : body,
  ...(expect ? { expect } : {}),
});
const genJson = (value: unknown, expect = 400) => gen(JSON.stringify(value), JSON_TYPE, expect);

/** Byte sequences that are not UTF-8: bad lead bytes, overlong forms, surrogates, cut-off sequences, > U+10FFFF. */
const BAD_UTF8 = [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe9]];

const genFamilies: Record<string, Family> = {
  'gen/bad-json': (r) => {
    const valid = JSON.stringify({ prompt: 'a red fox', quality: 'low' });
    return gen(pick(r, [
      valid.slice(0, 1 + Math.floor(r() * (valid.length - 2))),
      `${valid} trailing`, `${valid}${valid}`, "{'prompt':'x'}", '{"prompt":NaN}', '{"prompt":"x",}', '{prompt:"x"}',
      '/* c */{"prompt":"x"}', '', '   ', '\ufeff\ufeff{"prompt":"x"}', '{"prompt":"\\x41"}', '{"prompt":"\\ud800"', '\u0000',
    ]), JSON_TYPE, 400);
  },
  'gen/not-an-object': (r) => gen(pick(r, ['null', '[]', '[{"prompt":"x"}]', '"a red fox"', '42', 'true', '{}']), JSON_TYPE, 400),
  'gen/invalid-utf8': (r) => {
    const bad = pick(r, BAD_UTF8);
    const where = pick(r, ['prompt', 'key', 'value']);
    const parts = where === 'prompt' ? ['{"prompt":"a red ', '"}'] : where === 'key' ? ['{"prompt":"x","', '":1}'] : ['{"prompt":"x","quality":"', '"}'];
    return gen(Uint8Array.from([...text(parts[0]), ...bad, ...text(parts[1])]), JSON_TYPE, 400);
  },
  'gen/long-prompt': (r, t) => {
    const length = pick(r, t.big ? [32001, 40000, 100_000, 1_000_000, 5_000_000] : [32001, 40000, 100_000]);
    const body = JSON.stringify({ prompt: pick(r, ['x', 'é', '<boi>', ' ']).repeat(length) });
    return gen(body, JSON_TYPE, Buffer.byteLength(body) > DEFAULT_LIMITS.maxBodyBytes ? 413 : 400); // past the body limit, 413 comes first
  },
  'gen/unknown-field': (r) => {
    const key = pick(r, ['seed', 'temperature', 'top_k', 'steps', 'Prompt', 'prompt ', '', 'constructor', 'toString', 'negative_prompt']);
    return genJson({ prompt: 'a red fox', [key]: 1 });
  },
  'gen/proto-keys': (r) => gen(pick(r, ['{"prompt":"x","__proto__":{"n":0}}', '{"__proto__":{"prompt":"x"}}', '{"prompt":"x","constructor":{"prototype":{"n":0}}}']), JSON_TYPE, 400),
  'gen/n-out-of-range': (r) => gen(`{"prompt":"a red fox","n":${pick(r, ['0', '-1', '11', '1000000', '1.5', '"2"', 'true', '[]', '{}', '1e309', '-0', '9007199254740993'])}}`, JSON_TYPE, 400),
  'gen/wrong-type': (r) => {
    const [key, value] = pick(r, [
      ['prompt', 1], ['prompt', true], ['prompt', ['a', 'b']], ['prompt', { text: 'a' }], ['prompt', null], ['quality', 1], ['size', 128],
      ['stream', 'true'], ['stream', 1], ['partial_images', '2'], ['output_compression', '50'], ['user', 5], ['moderation', 'none'],
      ['background', false], ['output_format', 'PNG'], ['response_format', 'b64'], ['model', 7],
    ] as [string, unknown][]);
    return genJson({ prompt: 'a red fox', [key]: value });
  },
  'gen/unsupported': (r) => genJson({ prompt: 'a red fox', ...pick(r, [
    { size: '1024x1024' }, { size: '256x256' }, { size: '128x128 ' }, { size: '' }, { background: 'transparent' },
    { response_format: 'url' }, { model: 'gpt-image-1' }, { model: '../../models/default' }, { model: '' },
  ] as Record<string, unknown>[]) }),
  'gen/deep-nesting': (r) => {
    const depth = pick(r, [1000, 10_000, 100_000]);
    const [open, close] = pick(r, [['[', ']'], ['{"a":', '}']]);
    return gen(`{"prompt":${open.repeat(depth)}1${close.repeat(depth)}}`, JSON_TYPE, 400);
  },
  'gen/big-body': (r, t) => {
    // Within the 20 MB limit: a few MB of junk that still fails validation. Past it: 413 before reading.
    const mb = (t.big ? pick(r, [2, 8, 19]) : pick(r, [0.5, 1])) * 1024 * 1024;
    return pick(r, [
      () => genJson({ prompt: 'a red fox', padding: 'x'.repeat(mb) }),
      () => genJson({ prompt: 'a red fox', n: Array.from({ length: mb / 2 }, () => 1) }),
      () => genJson({ prompt: 'y'.repeat(mb) }),
    ...(t.big ? [() => gen(`{"prompt":"${'z'.repeat(DEFAULT_LIMITS.maxBodyBytes + 1024)}"}`, JSON_TYPE, 413)] : []),
    ])();
  },
  'gen/big-headers': (r) => {
    // Node refuses request heads over 16 KB with a bare 431; stay under it (the server's own checks must hold there).
    const headers: Record<string, string> = { ...JSON_TYPE };
    if (r() < 0.5) for (let i = 0; i < 90; i++) headers[`x-pad-${i}`] = 'p'.repeat(120);
    else headers['x-one-big-header'] = 'q'.repeat(14_000);
    return gen(JSON.stringify({ prompt: 'a red fox', n: 0 }), headers, 400);
  },
  'gen/wrong-content-type': (r, t) => pick(r, [
    () => ({ ...editForm([prompt, file(t.samples.png)]), path: '/v1/images/generations', expect: 400 }),
    () => gen('prompt=a+red+fox&n=1', { 'content-type': 'application/x-www-form-urlencoded' }, 400),
    () => gen(t.samples.png, { 'content-type': 'image/png' }, 400),
  ])(),
  'route/unknown-or-wrong-method': (r) => {
    const [method, path] = pick(r, [
      ['GET', '/v1/images/generations'], ['PUT', '/v1/images/generations'], ['DELETE', '/v1/images/edits'], ['POST', '/v1/images/variations'],
      ['POST', '/v1/images/generations/../../../etc/passwd'], ['GET', '/v1/models/..%2F..%2Fetc%2Fpasswd'], ['GET', '/v1/models/%00'],
      ['POST', '/v1/chat/completions'], ['GET', '/.env'], ['GET', '/api/conversations/../../package.json'],
    ]);
    return { method, path, headers: JSON_TYPE, ...(method === 'POST' || method === 'PUT' ? { body: text('{"prompt":"x"}') } : {}), expect: 404 };
  },
};

// ---- HTTP itself: what Node's parser or the adapter refuses before the app sees a request ----

const rawHttp = (head: string, expect: number, body = ''): Case => ({ method: 'RAW', path: head.slice(0, head.indexOf('\r\n')), headers: {}, body: text(`${head}\r\n\r\n${body}`), expect, raw: true });

const httpFamilies: Record<string, Family> = {
  'http/malformed': (r, t) => {
    const auth = t.apiKey ? `\r\nAuthorization: Bearer ${t.apiKey}` : '';
    return pick(r, [
      () => rawHttp(`GET /v1/models HTTP/1.1\r\nHost: x${auth}\r\nX-Huge: ${'h'.repeat(17_000 + Math.floor(r() * 20_000))}`, 431), // past Node's 16 KB head
      () => rawHttp(`GET /client/..\\..\\package.json HTTP/1.1\r\nHost: x\r\nConnection: close${auth}`, 400),
      () => rawHttp(`GET /v1/models HTTP/1.1\r\nHost: a b\r\nConnection: close${auth}`, 400),
      () => rawHttp(pick(r, ['GARBAGE', 'GET', 'GET / HTTP/9.9', '\u0000\u0001\u0002', 'GET /v1/models HTTP/1.1\r\nBad Header Line']), 400),
      () => rawHttp(`POST /v1/images/generations HTTP/1.1\r\nHost: x${auth}\r\nTransfer-Encoding: chunked\r\nContent-Length: 5`, 400, 'zz\r\n'), // smuggling shape
      () => rawHttp(`POST /v1/images/generations HTTP/1.1\r\nHost: x${auth}\r\nTransfer-Encoding: chunked\r\nConnection: close`, 400, 'zz\r\n{"prompt"\r\n0\r\n\r\n'), // bad chunk size
      () => rawHttp(`POST /v1/images/generations HTTP/1.1\r\nHost: x${auth}\r\nContent-Length: -1`, 400),
    ])();
  },
};

// ---- the chat API ----

const HOSTILE_IDS = [
  '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%252F..%252Fetc%252Fpasswd', '....%2F%2F....%2F%2Fetc',
  "x'%20OR%20'1'%3D'1", '%00', 'a'.repeat(4000), '%E2%80%AE', 'null', '0', '%2F', '%5C..%5C..%5Cwindows',
];

const chat = (method: string, path: string, body: Uint8Array | string | undefined, expect?: number): Case => ({
  method,
  path,
  headers: JSON_TYPE,
  ...(body !== undefined ? { body: typeof body === 'string' ? text(body) : body } : {}),
  ...(expect ? { expect } : {}),
});

function badJsonBody(r: Rng): Uint8Array {
  return pick(r, [
    () => text('{"text":"a red fox"'),
    () => text('{"text":"a red fox"} }'),
    () => text('[1,2'),
    () => Uint8Array.from([...text('{"text":"a red '), ...pick(r, BAD_UTF8), ...text('"}')]),
    () => text('null'),
    () => text('[]'),
    () => text('"text"'),
  ])();
}

const chatFamilies: Record<string, Family> = {
  'chat/bad-json': (r, t) => {
    const id = t.conversationId;
    const [method, path] = pick(r, [['POST', '/api/conversations'], ['PATCH', `/api/conversations/${id}`], ['POST', `/api/conversations/${id}/messages`], ['POST', `/api/conversations/${id}/edits`], ['POST', `/api/conversations/${id}/regenerate`]]);
    return chat(method, path, badJsonBody(r), 400);
  },
  'chat/bad-message': (r, t) => {
    const image = (bytes: Uint8Array) => (r() < 0.5 ? b64(bytes) : `data:image/png;base64,${b64(bytes)}`);
    const body = pick(r, [
      () => ({ text: 'x'.repeat(4001) }), () => ({ text: '' }), () => ({ text: ' \n\t ' }), () => ({}), () => ({ text: 7 }),
      () => ({ text: 'x', images: Array.from({ length: 5 }, () => b64(t.samples.png)) }),
      () => ({ text: 'x', images: ['not base64!'] }), () => ({ text: 'x', images: [1] }), () => ({ text: 'x', images: 'abc' }),
      () => ({ text: 'x', images: [image(corruptImage(r, t))] }), () => ({ text: 'x', images: [image(bomb(r, t))] }),
      () => ({ text: 'x', images: [image(pick(r, Object.values(t.others)))] }),
      () => ({ text: 'x', n: pick(r, [0, 9, 1.5, -1, '2']) }), () => ({ text: 'x', reply: 'video' }), () => ({ text: 'x', n: 2, reply: 'text' }),
      () => ({ text: 'x', seed: pick(r, [-1, 2 ** 32, 'x', 0.5]) }), () => ({ text: 'x', colour: 'red' }),
    ])();
    return chat('POST', `/api/conversations/${t.conversationId}/messages`, JSON.stringify(body), 400);
  },
  'chat/bad-edit': (r, t) => {
    const imageId = t.editTarget?.imageId ?? 'no-such-image';
    const masked = t.editTarget ? 400 : 404;
    const [body, expect] = pick(r, [
      [{ instruction: 'x' }, 400], [{ imageId: '', instruction: 'x' }, 400], [{ imageId: 'i'.repeat(101), instruction: 'x' }, 400],
      [{ imageId: '../../etc/passwd', instruction: 'x' }, 404], [{ imageId, instruction: 'x'.repeat(4001) }, 400], [{ imageId }, 400],
      [{ imageId, mask: 'not base64!' }, masked], [{ imageId, mask: b64(t.samples.jpeg) }, masked],
      [{ imageId, mask: b64(t.samples.png) }, masked], [{ imageId, mask: b64(pngDeclaring(30000, 30000)) }, masked],
      [{ imageId, instruction: 'x', n: 0 }, 400], [{ imageId, instruction: 'x', strength: 1 }, 400],
    ] as [Record<string, unknown>, number][]);
    return chat('POST', `/api/conversations/${t.editTarget?.conversationId ?? t.conversationId}/edits`, JSON.stringify(body), expect);
  },
  'chat/hostile-ids': (r) => {
    const id = pick(r, HOSTILE_IDS);
    const [method, path, body] = pick(r, [
      ['GET', `/api/conversations/${id}`, undefined], ['PATCH', `/api/conversations/${id}`, '{"title":"x"}'], ['DELETE', `/api/conversations/${id}`, undefined],
      ['POST', `/api/conversations/${id}/messages`, '{"text":"a red fox"}'], ['POST', `/api/conversations/${id}/regenerate`, '{}'],
      ['GET', `/api/images/${id}`, undefined], ['GET', `/api/images/${id}?download=1`, undefined], ['POST', `/api/images/${id}/choose`, '{}'],
    ] as [string, string, string | undefined][]);
    return chat(method, path, body, 404);
  },
  'chat/bad-conversation-fields': (r, t) => {
    const [method, path, body] = pick(r, [
      ['POST', '/api/conversations', { title: 'x'.repeat(201) }], ['POST', '/api/conversations', { title: 5 }], ['POST', '/api/conversations', { name: 'x' }],
      ['PATCH', `/api/conversations/${t.conversationId}`, {}], ['PATCH', `/api/conversations/${t.conversationId}`, { title: null }],
      ['POST', `/api/conversations/${t.conversationId}/regenerate`, { n: 0 }], ['POST', `/api/conversations/${t.conversationId}/regenerate`, { seed: 'x' }],
      ['POST', `/api/conversations/${t.conversationId}/regenerate`, { text: 'x' }],
    ] as [string, string, unknown][]);
    return chat(method, path, JSON.stringify(body), 400);
  },
  // Nothing to regenerate in an empty conversation (409), or it is busy with another such request (409).
  'chat/regenerate-nothing': (_r, t) => chat('POST', `/api/conversations/${t.conversationId}/regenerate`, '{}', 409),
};

// ---- the API key ----

const authFamily: Record<string, Family> = {
  'auth/missing-or-wrong-key': (r, t) => {
    const auth = pick(r, [undefined, 'Bearer', 'Bearer ', 'Bearer wrong', `Bearer ${t.apiKey}x`, `Basic ${b64(text(`user:${t.apiKey}`))}`, `${t.apiKey}`, `Bearer ${'k'.repeat(8000)}`]);
    const [method, path] = pick(r, [['GET', '/v1/models'], ['POST', '/v1/images/generations'], ['GET', '/api/conversations'], ['GET', '/health']]);
    return { method, path, headers: { ...JSON_TYPE, ...(auth !== undefined ? { authorization: auth } : {}) }, ...(method === 'POST' ? { body: text('{"prompt":"a red fox"}') } : {}), expect: 401 };
  },
};

/** n requests, the families in turn (the auth family only when the server has a key), reproducible from `seed`. */
export function hostileRequests(n: number, targets: HostileTargets, seed = 1): HostileRequest[] {
  const families = Object.entries({ ...editFamilies, ...genFamilies, ...httpFamilies, ...chatFamilies, ...(targets.apiKey ? authFamily : {}) });
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const [family, make] = families[i % families.length];
    const made = make(r, targets);
    const headers = family.startsWith('auth/') || made.raw || !targets.apiKey ? made.headers : { authorization: `Bearer ${targets.apiKey}`, ...made.headers };
    return { family, ...made, headers };
  });
}

export const FAMILY_COUNT = (withAuth: boolean) => Object.keys({ ...editFamilies, ...genFamilies, ...httpFamilies, ...chatFamilies, ...(withAuth ? authFamily : {}) }).length;
