/**
 * A model folder on disk (Node): config.json, prefill.onnx, decode.onnx and tokenizer.json, checked
 * up front so a missing or mismatched file fails with its name instead of deep inside a run.
 *
 *   models/default/   the shipped model, resolved from the package root (not the working directory)
 *   models/vq/        the VQ image tokenizer (loaded by src/tokenizers/image)
 */
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ModelConfig, parseModelConfig } from '../model/model-config.ts';
import { TextTokenizer } from '../tokenizers/text/index.ts';
import { EngineError } from './errors.ts';

export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../models/default', import.meta.url));
export const DEFAULT_VQ_DIR = fileURLToPath(new URL('../../models/vq', import.meta.url));

export interface ModelFiles {
  dir: string;
  config: ModelConfig;
  prefill: string;
  decode: string;
  /** Absent when the folder has no tokenizer.json (synthetic fixtures). */
  tokenizer?: string;
}

const exists = (path: string) => access(path).then(() => true, () => false);

export async function readModelDir(dir: string = DEFAULT_MODEL_DIR): Promise<ModelFiles> {
  const file = (name: string) => join(dir, name);
  if (!(await exists(dir))) throw new EngineError('missing-file', `model folder ${dir} does not exist${dir === DEFAULT_MODEL_DIR ? ' (the default model is not installed)' : ''}`);
  for (const name of ['config.json', 'prefill.onnx', 'decode.onnx']) {
    if (!(await exists(file(name)))) throw new EngineError('missing-file', `${file(name)} is missing`);
  }
  let config: ModelConfig;
  try {
    config = parseModelConfig(JSON.parse(await readFile(file('config.json'), 'utf8')));
  } catch (cause) {
    throw new EngineError('corrupt-file', `${file('config.json')}: ${(cause as Error).message}`, { cause });
  }
  const files: ModelFiles = { dir, config, prefill: file('prefill.onnx'), decode: file('decode.onnx') };
  if (await exists(file('tokenizer.json'))) files.tokenizer = file('tokenizer.json');
  else if (config.tokenizer) throw new EngineError('missing-file', `${file('tokenizer.json')} is missing (config.json names ${config.tokenizer.file})`);
  return files;
}

/** Loads tokenizer.json and checks it is the one config.json was built for. */
export async function loadTokenizer(files: ModelFiles): Promise<TextTokenizer> {
  const path = files.tokenizer!;
  const bytes = await readFile(path);
  const expected = files.config.tokenizer?.sha256;
  if (expected && createHash('sha256').update(bytes).digest('hex') !== expected) {
    throw new EngineError('corrupt-file', `${path} is not the tokenizer config.json was built with (sha256 differs)`);
  }
  let tokenizer: TextTokenizer;
  try {
    tokenizer = await TextTokenizer.load(path);
  } catch (cause) {
    throw new EngineError('corrupt-file', `${path}: ${(cause as Error).message}`, { cause });
  }
  if (tokenizer.vocabSize !== files.config.vocab.text.size) {
    throw new EngineError('corrupt-file', `${path} has ${tokenizer.vocabSize} text ids; config.json expects ${files.config.vocab.text.size}`);
  }
  return tokenizer;
}
