/**
 * The multimodal model's config: hyperparameters as named presets, and the one `config.json` that
 * the Python trainer, the exporter and the engine all read (nobody restates the vocabulary).
 *
 * config.json:
 *   { "format": "tessera-lm", "version": 1, "preset": "default",
 *     "vocab":  { "size", "text": {"start", "size"}, "image": {"start", "size"}, "specials": {pad, bos, ...}, "tasks": {t2i, ...} },
 *     "image":  { "grid": [16, 16], "tokens": 256 },
 *     "model":  { nLayer, nHead, nEmbd, mlpHidden, maxSeqLen, ropeTheta, normEps, tieEmbeddings, dropout },
 *     "tokenizer": { "file", "sha256" } }        (tokenizer is optional: absent for synthetic configs)
 *
 * @example
 *   const config = buildModelConfig({ preset: 'default', textVocabSize: 4096 });
 *   await writeModelConfig('models/lm', config);
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CODEBOOK_SIZE, EPISODE_TASKS, IMAGE_GRID, IMAGE_TOKENS, SPECIAL_NAMES, type VocabularyLayout, vocabularyLayout } from './vocabulary.ts';

/** A decoder-only transformer: RMSNorm, 1-D RoPE, causal attention, SwiGLU MLP, no biases. */
export interface ModelHyperparams {
  /** Transformer blocks. */
  nLayer: number;
  /** Attention heads; nEmbd / nHead is the head size (even, for RoPE). */
  nHead: number;
  /** Residual stream width. */
  nEmbd: number;
  /** SwiGLU hidden width (about 8/3 nEmbd, rounded to a multiple of 64). */
  mlpHidden: number;
  /** Longest episode the model is trained and sampled on, in tokens (an image is 258). */
  maxSeqLen: number;
  /** RoPE base frequency. */
  ropeTheta: number;
  /** RMSNorm epsilon. */
  normEps: number;
  /** Output head shares the token embedding matrix. */
  tieEmbeddings: boolean;
  /** Dropout on attention and residual outputs during training. */
  dropout: number;
}

/** Per-field type and description; CLI flags for overrides are derived from this table. */
export const MODEL_FIELDS: Record<keyof ModelHyperparams, { type: 'number' | 'boolean'; description: string }> = {
  nLayer: { type: 'number', description: 'transformer blocks' },
  nHead: { type: 'number', description: 'attention heads' },
  nEmbd: { type: 'number', description: 'residual width' },
  mlpHidden: { type: 'number', description: 'SwiGLU hidden width' },
  maxSeqLen: { type: 'number', description: 'longest episode in tokens' },
  ropeTheta: { type: 'number', description: 'RoPE base' },
  normEps: { type: 'number', description: 'RMSNorm epsilon' },
  tieEmbeddings: { type: 'boolean', description: 'tie output head to the embedding' },
  dropout: { type: 'number', description: 'training dropout' },
};

const BASE: Omit<ModelHyperparams, 'nLayer' | 'nHead' | 'nEmbd' | 'mlpHidden'> = {
  maxSeqLen: 1024,
  ropeTheta: 10000,
  normEps: 1e-5,
  tieEmbeddings: true,
  dropout: 0,
};

/**
 * Named sizes. Parameter counts are for the 4096-id BPE plus 1024 codes (5,132 ids), a tied embedding
 * counted once. Training speeds are in trainer/tessera_trainer/lm/README.md.
 */
export const MODEL_PRESETS = {
  /** 73k with a 96-id text vocabulary and 256 codes: unit tests and the committed ONNX fixture. */
  tiny: { ...BASE, nLayer: 2, nHead: 2, nEmbd: 48, mlpHidden: 128 },
  /** 6.1M (4.8M in blocks): the shipped model, trained on a shared 2-core CPU (~1k tokens/s there). */
  default: { ...BASE, nLayer: 6, nHead: 8, nEmbd: 256, mlpHidden: 704 },
  /** 9.3M (7.6M in blocks): the default's wider neighbour, 1.5x the compute per token. */
  wide: { ...BASE, nLayer: 6, nHead: 8, nEmbd: 320, mlpHidden: 896 },
  /** 41M: one GPU for a few hours. */
  base: { ...BASE, nLayer: 12, nHead: 8, nEmbd: 512, mlpHidden: 1408 },
  /** 319M: rented GPUs. Untied head: at this width the 5M-parameter table is cheap to double. */
  large: { ...BASE, nLayer: 24, nHead: 16, nEmbd: 1024, mlpHidden: 2816, tieEmbeddings: false },
} as const satisfies Record<string, ModelHyperparams>;

export type PresetName = keyof typeof MODEL_PRESETS;
export const PRESET_NAMES = Object.keys(MODEL_PRESETS) as PresetName[];

export interface TokenizerRef {
  /** Path as given when the config was written. */
  file: string;
  sha256: string;
}

export interface ModelConfig {
  format: 'tessera-lm';
  version: 1;
  preset: string;
  vocab: VocabularyLayout;
  image: { grid: [number, number]; tokens: number };
  model: ModelHyperparams;
  tokenizer?: TokenizerRef;
}

export class ModelConfigError extends Error {
  override name = 'ModelConfigError';
}

export function validateHyperparams(model: ModelHyperparams): void {
  const positive = ['nLayer', 'nHead', 'nEmbd', 'mlpHidden', 'maxSeqLen'] as const;
  for (const key of positive) {
    if (!Number.isInteger(model[key]) || model[key] < 1) throw new ModelConfigError(`${key} must be a positive integer, got ${model[key]}`);
  }
  const headSize = model.nEmbd / model.nHead;
  if (!Number.isInteger(headSize) || headSize % 2 !== 0) throw new ModelConfigError(`nEmbd ${model.nEmbd} / nHead ${model.nHead} must be an even integer (RoPE rotates pairs)`);
  if (!(model.ropeTheta > 0) || !(model.normEps > 0)) throw new ModelConfigError('ropeTheta and normEps must be positive');
  if (!(model.dropout >= 0 && model.dropout < 1)) throw new ModelConfigError(`dropout must be in [0, 1), got ${model.dropout}`);
}

export function buildModelConfig(options: {
  preset: string;
  textVocabSize: number;
  codebookSize?: number;
  overrides?: Partial<ModelHyperparams>;
  tokenizer?: TokenizerRef;
}): ModelConfig {
  const preset = MODEL_PRESETS[options.preset as PresetName];
  if (!preset) throw new ModelConfigError(`unknown preset "${options.preset}" (known: ${PRESET_NAMES.join(', ')})`);
  const model: ModelHyperparams = { ...preset, ...stripUndefined(options.overrides ?? {}) };
  validateHyperparams(model);
  const config: ModelConfig = {
    format: 'tessera-lm',
    version: 1,
    preset: options.preset,
    vocab: vocabularyLayout(options.textVocabSize, options.codebookSize ?? DEFAULT_CODEBOOK_SIZE),
    image: { grid: [IMAGE_GRID, IMAGE_GRID], tokens: IMAGE_TOKENS },
    model,
  };
  if (options.tokenizer) config.tokenizer = options.tokenizer;
  return config;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Parameters, counting a tied embedding once. Mirrors LM.num_params() in trainer/tessera_trainer/lm/model.py. */
export function countParams(config: Pick<ModelConfig, 'vocab' | 'model'>): { total: number; blocks: number; embedding: number } {
  const { nLayer, nEmbd: d, mlpHidden: h, tieEmbeddings } = config.model;
  const perBlock = 4 * d * d + 3 * d * h + 2 * d; // qkv + out, SwiGLU (w1, w3, w2), two RMSNorm gains
  const blocks = nLayer * perBlock + d; // + final norm
  const embedding = config.vocab.size * d * (tieEmbeddings ? 1 : 2);
  return { total: blocks + embedding, blocks, embedding };
}

const int = z.number().int().nonnegative();
const schema = z.strictObject({
  format: z.literal('tessera-lm'),
  version: z.literal(1),
  preset: z.string(),
  vocab: z.strictObject({
    size: int,
    text: z.strictObject({ start: z.literal(0), size: int }),
    image: z.strictObject({ start: int, size: int }),
    specials: z.strictObject(Object.fromEntries(SPECIAL_NAMES.map((n) => [n, int])) as Record<(typeof SPECIAL_NAMES)[number], typeof int>),
    tasks: z.strictObject(Object.fromEntries(EPISODE_TASKS.map((t) => [t, int])) as Record<(typeof EPISODE_TASKS)[number], typeof int>),
  }),
  image: z.strictObject({ grid: z.tuple([int, int]), tokens: int }),
  model: z.strictObject({
    nLayer: int, nHead: int, nEmbd: int, mlpHidden: int, maxSeqLen: int,
    ropeTheta: z.number(), normEps: z.number(), tieEmbeddings: z.boolean(), dropout: z.number(),
  }),
  tokenizer: z.strictObject({ file: z.string(), sha256: z.string() }).optional(),
});

/** Validates a parsed config.json: known keys only, and a vocabulary that matches its own sizes. */
export function parseModelConfig(json: unknown): ModelConfig {
  const result = schema.safeParse(json);
  if (!result.success) throw new ModelConfigError(`invalid model config: ${z.prettifyError(result.error)}`);
  const config = result.data as ModelConfig;
  const expected = vocabularyLayout(config.vocab.text.size, config.vocab.image.size);
  if (JSON.stringify(expected) !== JSON.stringify(config.vocab)) {
    throw new ModelConfigError('vocab ids do not match the layout computed from its text and image sizes (written by another version?)');
  }
  if (config.image.tokens !== config.image.grid[0] * config.image.grid[1]) throw new ModelConfigError('image.tokens must equal grid[0] * grid[1]');
  validateHyperparams(config.model);
  return config;
}

export async function readModelConfig(dirOrFile: string): Promise<ModelConfig> {
  const file = dirOrFile.endsWith('.json') ? dirOrFile : join(dirOrFile, 'config.json');
  return parseModelConfig(JSON.parse(await readFile(file, 'utf8')));
}

/** Writes DIR/config.json (creating DIR); returns its path. */
export async function writeModelConfig(dir: string, config: ModelConfig): Promise<string> {
  parseModelConfig(config);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify(config, null, 2) + '\n');
  return file;
}
