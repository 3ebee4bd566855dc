/**
 * A model folder on disk (Node): config.json, lm.onnx, tokenizer.json and sampling.json, checked
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
import { ImageTokenizer } from '../tokenizers/image/index.ts';
import { TextTokenizer } from '../tokenizers/text/index.ts';
import { EngineError } from './errors.ts';
import type { ImageCodec } from './image-codec.ts';
import { ENGINE_SAMPLING, type ModelSampling, parseModelSampling } from './model-sampling.ts';
import { vqCodec } from './vq-codec.ts';
import { vqWorkerCodec } from './vq-worker.ts';

export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../models/default', import.meta.url));
export { DEFAULT_VQ_DIR } from '../tokenizers/image/index.ts';

export interface ModelFiles {
  dir: string;
  config: ModelConfig;
  /** The one graph for prefill and decode (trainer/tessera_trainer/lm/onnx_graph.py). */
  lm: string;
  /** Absent when the folder has no tokenizer.json (synthetic fixtures). */
  tokenizer?: string;
  /** The folder's sampling.json over the engine's defaults (model-sampling.ts). */
  sampling: ModelSampling;
}

export const exists = (path: string) => access(path).then(() => true, () => false);

export async function readModelDir(dir: string = DEFAULT_MODEL_DIR): Promise<ModelFiles> {
  const file = (name: string) => join(dir, name);
  if (!(await exists(dir))) throw new EngineError('missing-file', `model folder ${dir} does not exist${dir === DEFAULT_MODEL_DIR ? ' (the default model is not installed)' : ''}`);
  for (const name of ['config.json', 'lm.onnx']) {
    if (await exists(file(name))) continue;
    const old = name === 'lm.onnx' && (await exists(file('decode.onnx')));
    throw new EngineError('missing-file', `${file(name)} is missing${old ? ' (the folder has the older prefill.onnx + decode.onnx export: re-export it with python -m tessera_trainer.lm export)' : ''}`);
  }
  let config: ModelConfig;
  try {
    config = parseModelConfig(JSON.parse(await readFile(file('config.json'), 'utf8')));
  } catch (cause) {
    throw new EngineError('corrupt-file', `${file('config.json')}: ${(cause as Error).message}`, { cause });
  }
  const files: ModelFiles = { dir, config, lm: file('lm.onnx'), sampling: ENGINE_SAMPLING };
  if (await exists(file('sampling.json'))) {
    try {
      files.sampling = parseModelSampling(JSON.parse(await readFile(file('sampling.json'), 'utf8')));
    } catch (cause) {
      throw new EngineError('corrupt-file', `${file('sampling.json')}: ${(cause as Error).message}`, { cause });
    }
  }
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

/**
 * The VQ in `dir` as an ImageCodec, checked against the model's codebook and grid. By default its
 * decodes (previews, final images) run in a worker thread beside the decode loop (vq-worker.ts);
 * `close` stops it. `worker: false` keeps everything on the calling thread.
 */
export async function loadVq(dir: string, config: ModelConfig, threads?: number, { worker = true } = {}): Promise<ImageCodec & { close?(): Promise<void> }> {
  if (!(await exists(join(dir, 'config.json')))) throw new EngineError('missing-file', `${join(dir, 'config.json')} is missing (no VQ in ${dir})`);
  let codec: ImageCodec;
  try {
    codec = vqCodec(await ImageTokenizer.load(dir, threads ? { threads } : {}));
  } catch (cause) {
    throw new EngineError('corrupt-file', `cannot load the VQ in ${dir}: ${(cause as Error).message}`, { cause });
  }
  checkCodec(codec, config, dir);
  return worker ? vqWorkerCodec(dir, codec, threads) : codec;
}

/** A codec that declares its codebook and grid must match config.json's. */
export function checkCodec(codec: ImageCodec, config: ModelConfig, where = 'the VQ'): void {
  const { image, vocab } = config;
  if (codec.codebookSize !== undefined && codec.codebookSize !== vocab.image.size) {
    throw new EngineError('corrupt-file', `${where} has ${codec.codebookSize} codes; the model's vocabulary has ${vocab.image.size}`);
  }
  if (codec.grid !== undefined && codec.grid !== image.grid[1]) {
    throw new EngineError('corrupt-file', `${where} makes a ${codec.grid}x${codec.grid} grid; the model reads ${image.grid[0]}x${image.grid[1]}`);
  }
}
