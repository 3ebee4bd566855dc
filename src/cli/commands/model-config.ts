import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { defineCommand, type FlagSchema, type FlagSpec, UserError } from '../command.ts';
import { buildModelConfig, countParams, MODEL_FIELDS, type ModelHyperparams, ModelConfigError, PRESET_NAMES, writeModelConfig } from '../../model/model-config.ts';
import { DEFAULT_CODEBOOK_SIZE } from '../../model/vocabulary.ts';
import { readTokenizerFile } from '../../tokenizers/text/tokenizer-file.ts';
import { TextTokenizerError } from '../../tokenizers/text/errors.ts';

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** One override flag per model hyperparameter (`--n-layer`, `--tie-embeddings`), from MODEL_FIELDS. */
const modelFlags: FlagSchema = Object.fromEntries(
  Object.entries(MODEL_FIELDS).map(([name, field]): [string, FlagSpec] => [kebab(name), { type: field.type, description: `${field.description} (overrides the preset)` }]),
);

export default defineCommand({
  name: 'model config',
  summary: 'Write config.json for the multimodal model (vocabulary layout + hyperparameters)',
  flags: {
    preset: { type: 'string', description: `size preset: ${PRESET_NAMES.join(', ')}`, default: 'default' },
    tokenizer: { type: 'string', description: 'text tokenizer.json (gives the text vocabulary size)' },
    'text-vocab-size': { type: 'number', description: 'text vocabulary size, instead of --tokenizer (synthetic configs)' },
    'codebook-size': { type: 'number', description: 'VQ codebook size', default: DEFAULT_CODEBOOK_SIZE },
    out: { type: 'string', short: 'o', description: 'folder to write config.json into' },
    ...modelFlags,
  },
  async run({ flags }) {
    if (!flags.out) throw new UserError('--out is required');
    if (!flags.tokenizer === (flags['text-vocab-size'] === undefined)) throw new UserError('give exactly one of --tokenizer or --text-vocab-size');
    let textVocabSize = flags['text-vocab-size'] as number | undefined;
    let tokenizer: { file: string; sha256: string } | undefined;
    if (flags.tokenizer) {
      try {
        textVocabSize = (await readTokenizerFile(flags.tokenizer)).vocabSize;
      } catch (error) {
        if (error instanceof TextTokenizerError) throw new UserError(error.message);
        throw error;
      }
      tokenizer = { file: flags.tokenizer, sha256: createHash('sha256').update(await readFile(flags.tokenizer)).digest('hex') };
    }
    const overrides: Partial<Record<keyof ModelHyperparams, number | boolean>> = {};
    for (const name of Object.keys(MODEL_FIELDS) as (keyof ModelHyperparams)[]) {
      const value = (flags as Record<string, unknown>)[kebab(name)];
      if (value !== undefined) overrides[name] = value as number | boolean;
    }
    try {
      const config = buildModelConfig({
        preset: flags.preset,
        textVocabSize: textVocabSize!,
        codebookSize: flags['codebook-size'],
        overrides: overrides as Partial<ModelHyperparams>,
        tokenizer,
      });
      const file = await writeModelConfig(flags.out, config);
      const params = countParams(config);
      console.log(`wrote ${file}: preset ${config.preset}, vocab ${config.vocab.size} ids, ${(params.total / 1e6).toFixed(2)}M params (${(params.blocks / 1e6).toFixed(2)}M in blocks)`);
    } catch (error) {
      if (error instanceof ModelConfigError || error instanceof RangeError) throw new UserError(error.message);
      throw error;
    }
  },
});
