/**
 * A model folder's own sampling defaults, `sampling.json`, the way a checkpoint ships its generation
 * config: the guidance and temperature that suit a model are measured on that model (eval/, its
 * MODEL_CARD.md) and change as it trains, so they travel with its weights instead of living in the
 * engine. A folder without the file samples with the engine's defaults (options.ts).
 *
 *   { "image": { "cfg": 2, "temperature": 0.8 }, "edit": { "cfg": 1 }, "text": {}, "note": "how these were chosen" }
 *
 * Keys left out keep the engine's defaults, and an edit's keys the folder's image settings (an edit
 * samples image tokens too; what suits it differs, see `ModelSampling.edit`); a seed, an unknown key or a value out of range fails
 * when the folder loads, naming the file. Options given to a call still win over both.
 */
import { check, EngineError } from './errors.ts';
import { IMAGE_DEFAULTS, rejectUnknown, samplingSettings, type SamplingSettings, TEXT_DEFAULTS } from './options.ts';

export interface ModelSampling {
  /** For image tokens: generate, chat turns that reply with an image. */
  image: SamplingSettings;
  /**
   * For an edit's image tokens (a restyle is an edit). Most of an edit's codes copy the source, and
   * guidance or a warm temperature breaks copies the model's own prediction keeps: on held-out edit
   * episodes the step-48,266 model copied 91 % of the unchanged codes at guidance 2, temperature 0.6,
   * and 99 % greedy and unguided. The edit suites scored the same at either (BENCHMARKS.md, "Edits and
   * captions of freely placed pictures"), so its folder sets none: tune it with
   * `bench/sampling-sweep.ts --suite edit`.
   */
  edit: SamplingSettings;
  /** For text tokens: describe, chat turns that reply with text. */
  text: SamplingSettings;
}

export const ENGINE_SAMPLING: ModelSampling = { image: IMAGE_DEFAULTS, edit: IMAGE_DEFAULTS, text: TEXT_DEFAULTS };

/** What a folder may set: every sampling key but the seed, which is per call. */
export const MODEL_SAMPLING_KEYS = ['cfg', 'temperature', 'topK', 'topP'] as const;

export function parseModelSampling(json: unknown): ModelSampling {
  // Messages name the place inside the file; readModelDir prefixes the file's path.
  check(isObject(json), 'must hold a JSON object');
  rejectUnknown(json, ['image', 'edit', 'text', 'note'], 'top level');
  check(json.note === undefined || typeof json.note === 'string', 'note must be a string');
  const image = section(json.image, 'image', IMAGE_DEFAULTS);
  return { image, edit: section(json.edit, 'edit', image), text: section(json.text, 'text', TEXT_DEFAULTS) };
}

function section(value: unknown, name: string, defaults: SamplingSettings): SamplingSettings {
  if (value === undefined) return defaults;
  check(isObject(value), `${name} must be an object of ${MODEL_SAMPLING_KEYS.join(', ')}`);
  rejectUnknown(value, MODEL_SAMPLING_KEYS, name);
  for (const [key, v] of Object.entries(value)) check(typeof v === 'number', `${name}.${key} must be a number, got ${JSON.stringify(v)}`);
  try {
    return samplingSettings(value as Partial<SamplingSettings>, defaults);
  } catch (error) {
    throw new EngineError('bad-input', `${name}: ${(error as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
