/**
 * Request bodies of the chat API, validated with zod. Unknown fields are rejected; the first problem
 * becomes one 400 in the server's error shape, naming the field.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { readUtf8 } from '../body.ts';
import { ApiError } from '../errors.ts';

export const LIMITS = {
  /** Characters in a prompt or an instruction. */
  text: 4000,
  title: 200,
  /** Images attached to one message. */
  images: 4,
  /** Best-of-N candidates per turn. */
  n: 8,
};

const n = z.int().min(1).max(LIMITS.n);
const seed = z.int().min(0).max(2 ** 32 - 1);
/** base64, or a data: URL; the bytes are checked when decoded. */
const imageData = z.string().min(1);

export const createConversationBody = z.strictObject({ title: z.string().max(LIMITS.title).optional() });
export const renameConversationBody = z.strictObject({ title: z.string().max(LIMITS.title) });

export const postMessageBody = z
  .strictObject({
    text: z.string().max(LIMITS.text).default(''),
    images: z.array(imageData).max(LIMITS.images).default([]),
    n: n.default(1),
    reply: z.enum(['image', 'text', 'any']).default('image'),
    seed: seed.optional(),
  })
  .refine((b) => b.text.trim() !== '' || b.images.length > 0, { message: 'send text, images, or both', path: ['text'] })
  .refine((b) => b.n === 1 || b.reply === 'image', { message: 'best-of-N (n > 1) needs reply "image"', path: ['n'] });

export const regenerateBody = z.strictObject({ n: n.optional(), seed: seed.optional() });

export const editBody = z
  .strictObject({
    imageId: z.string().min(1).max(100),
    instruction: z.string().max(LIMITS.text).default(''),
    mask: imageData.optional(),
    n: n.default(1),
    seed: seed.optional(),
  })
  .refine((b) => b.instruction.trim() !== '' || b.mask !== undefined, { message: 'give an instruction, a mask, or both', path: ['instruction'] });

/** The JSON body parsed by `schema`, or a 400 naming the first bad field. An empty body is `{}`. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const raw = await readUtf8(c);
  let json: unknown = {};
  if (raw.trim() !== '') {
    try {
      json = JSON.parse(raw);
    } catch {
      throw ApiError.invalid('The request body is not valid JSON.', null, 'invalid_json');
    }
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue.path.length ? issue.path.join('.') : null;
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : null;
  throw unknown
    ? ApiError.invalid(`Unknown parameter: '${unknown}'.`, unknown, 'unknown_parameter')
    : ApiError.invalid(`Invalid value for '${param ?? 'body'}': ${issue.message}.`, param);
}
