/**
 * Request parameters of /v1/images/generations (JSON) and /v1/images/edits (multipart form, where
 * every value arrives as a string), validated with zod. Unknown parameters are rejected, as OpenAI
 * does, and every failure becomes one 400 naming the parameter and what it accepts.
 *
 * Accepted for compatibility and ignored: `user`, `moderation` (there is no moderation model),
 * `input_fidelity` (edits keep unmasked regions token-identical anyway).
 */
import { z } from 'zod';
import { ApiError } from './errors.ts';
import type { ServedModel } from './options.ts';

/** What each parameter accepts, in words; the 400's message quotes it. */
const EXPECTED: Record<string, string> = {
  prompt: 'a string of 1 to 32000 characters',
  n: 'an integer from 1 to 10',
  size: 'a string such as "auto"',
  quality: "one of 'auto', 'low', 'medium', 'high', 'standard', 'hd'",
  background: "one of 'auto', 'opaque', 'transparent'",
  output_format: "one of 'png', 'jpeg', 'webp'",
  output_compression: 'an integer from 0 to 100',
  response_format: "one of 'b64_json', 'url'",
  model: 'a string',
  stream: 'a boolean',
  partial_images: 'an integer from 0 to 3',
  user: 'a string',
  moderation: "one of 'low', 'auto'",
  input_fidelity: "one of 'low', 'high'",
};

/** Form fields are strings: numbers and booleans are parsed first, so the same rules apply. */
const formNumber = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
const formBoolean = (v: unknown) => (v === 'true' ? true : v === 'false' ? false : v);

function shape(form: boolean) {
  const num = <T extends z.ZodType>(s: T) => (form ? z.preprocess(formNumber, s) : s);
  const bool = <T extends z.ZodType>(s: T) => (form ? z.preprocess(formBoolean, s) : s);
  return {
    prompt: z.string().min(1).max(32000),
    n: num(z.int().min(1).max(10)).nullish(),
    size: z.string().nullish(),
    quality: z.enum(['auto', 'low', 'medium', 'high', 'standard', 'hd']).nullish(),
    background: z.enum(['auto', 'opaque', 'transparent']).nullish(),
    output_format: z.enum(['png', 'jpeg', 'webp']).nullish(),
    output_compression: num(z.int().min(0).max(100)).nullish(),
    response_format: z.enum(['b64_json', 'url']).nullish(),
    model: z.string().nullish(),
    stream: bool(z.boolean()).nullish(),
    partial_images: num(z.int().min(0).max(3)).nullish(),
    user: z.string().nullish(),
  };
}

export const generationParams = z.strictObject({ ...shape(false), moderation: z.enum(['low', 'auto']).nullish() });
/** The edit form's fields other than its files (image, image[], mask). */
export const editParams = z.strictObject({ ...shape(true), input_fidelity: z.enum(['low', 'high']).nullish() });

export type ImageParams = z.infer<typeof generationParams> | z.infer<typeof editParams>;

/** Parses or throws the 400 for the first problem, unknown parameters first. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw ApiError.invalid('The request body must be a JSON object.', null, 'invalid_json');
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown) {
    const key = unknown.keys[0];
    throw ApiError.invalid(`Unknown parameter: '${key}'.`, key, 'unknown_parameter');
  }
  const issue = issues[0];
  const key = String(issue.path[0]);
  const value = (input as Record<string, unknown>)[key];
  if (value === undefined) throw ApiError.invalid(`Missing required parameter: '${key}'.`, key, 'missing_required_parameter');
  throw ApiError.invalid(`Invalid value for '${key}': expected ${EXPECTED[key] ?? issue.message}, got ${shown(value)}.`, key);
}

/**
 * A rejected value, briefly: never the whole of a long string or a structure (a 20 MB array would be
 * echoed back; a deeply nested one overflows JSON.stringify's stack).
 */
function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(value);
}

/** The checks that need the model, and the decisions on what Tessera does not do. */
export function checkSupported(params: ImageParams, model: ServedModel): void {
  const native = `${model.imageSize}x${model.imageSize}`;
  if (params.size != null && params.size !== 'auto' && params.size !== native) {
    throw ApiError.invalid(`Invalid value for 'size': this model paints ${native} images only; use '${native}' or 'auto' (got '${params.size}').`, 'size');
  }
  if (params.background === 'transparent') {
    throw ApiError.invalid("Transparent backgrounds are not supported: Tessera's images are always opaque. Use 'opaque' or 'auto'.", 'background');
  }
  if (params.response_format === 'url') {
    throw ApiError.invalid("response_format 'url' is not supported: this server stores no images, so it returns them inline. Use 'b64_json' (the default).", 'response_format');
  }
  if (params.model != null && params.model !== model.id && params.model !== 'tessera') {
    throw ApiError.invalid(`The model '${params.model}' is not served here; use '${model.id}' or 'tessera' (or leave model out).`, 'model', 'model_not_found');
  }
}
