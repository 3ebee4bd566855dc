/**
 * Flags the engine commands share, derived from the engine's own settings type so the two cannot
 * drift: every SamplingSettings key becomes a kebab-case number flag (topK -> --top-k), its help
 * quoting the engine's defaults for images and for text. Unset flags stay unset, so the model's
 * sampling.json, else the engine's per-task defaults, apply.
 *
 * Only light modules are imported here: every CLI invocation loads every command's flags.
 */
import { extname } from 'node:path';
import { IMAGE_DEFAULTS, type SamplingSettings, TEXT_DEFAULTS } from '../engine/options.ts';
import type { OutputFormat } from '../server/encode.ts';
import { type FlagSchema, type FlagSpec, UserError } from './command.ts';

type Kebab<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `-${Lowercase<H>}`}${Kebab<T>}` : S;
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const SAMPLING_HELP: Record<keyof SamplingSettings, string> = {
  seed: 'PRNG seed: the same seed and settings give the same result',
  cfg: 'classifier-free guidance scale (1: off)',
  temperature: 'sampling temperature (0: greedy)',
  topK: 'keep only the k likeliest tokens (0: all)',
  topP: 'keep the likeliest tokens up to this probability mass (1: all)',
};

// A model folder's sampling.json may set all but the seed (engine/model-sampling.ts).
const defaults = (key: keyof SamplingSettings) => {
  const engine = IMAGE_DEFAULTS[key] === TEXT_DEFAULTS[key] ? `${IMAGE_DEFAULTS[key]}` : `${IMAGE_DEFAULTS[key]} for images, ${TEXT_DEFAULTS[key]} for text`;
  return key === 'seed' ? `(default: ${engine})` : `(default: the model's sampling.json, else ${engine})`;
};

export type SamplingFlags = { [K in keyof SamplingSettings as Kebab<K>]: { type: 'number'; description: string } };

export const SAMPLING_FLAGS = Object.fromEntries(
  (Object.keys(SAMPLING_HELP) as (keyof SamplingSettings)[]).map((key) => [
    kebab(key),
    { type: 'number', description: `${SAMPLING_HELP[key]} ${defaults(key)}` } satisfies FlagSpec,
  ]),
) as SamplingFlags;

export const MODEL_FLAGS = {
  model: { type: 'string', description: 'model folder (default: models/default of the package)' },
  vq: { type: 'string', description: 'VQ image tokenizer folder (default: models/vq of the package)' },
} as const satisfies FlagSchema;

/** The sampling flags that were given, as engine options. */
export function samplingOptions(flags: Partial<Record<string, unknown>>): Partial<SamplingSettings> {
  const out: Partial<SamplingSettings> = {};
  for (const key of Object.keys(SAMPLING_HELP) as (keyof SamplingSettings)[]) {
    const value = flags[kebab(key)];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

/** generate's and edit's flags. */
export const IMAGE_RUN_FLAGS = {
  out: { type: 'string', short: 'o', description: 'image to write (.png, .jpg, .webp); several get -1, -2... suffixes', default: 'out.png' },
  n: { type: 'number', short: 'n', description: 'images to make, ranked by the model (best-of-N) and written best first', default: 1 },
  ...SAMPLING_FLAGS,
  ...MODEL_FLAGS,
  json: { type: 'boolean', description: 'print a JSON result (paths, scores, settings) instead of the paths' },
} as const;

/** Checks the flags every image command shares before the model loads. */
export function checkImageRunFlags(flags: { out: string; n: number }): string[] {
  outputFormat(flags.out);
  if (!Number.isInteger(flags.n) || flags.n < 1 || flags.n > 64) throw new UserError(`--n must be an integer from 1 to 64, got ${flags.n}`);
  return outputPaths(flags.out, flags.n);
}

const FORMATS: Record<string, OutputFormat> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };

/** The image format an output path asks for; checked before any work is done. */
export function outputFormat(path: string): OutputFormat {
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) throw new UserError(`cannot write ${path}: name it .png, .jpg or .webp`);
  return format;
}

/** out.png for one image; out-1.png, out-2.png... for several. */
export function outputPaths(out: string, n: number): string[] {
  if (n === 1) return [out];
  const ext = extname(out);
  return Array.from({ length: n }, (_, i) => `${out.slice(0, out.length - ext.length)}-${i + 1}${ext}`);
}
