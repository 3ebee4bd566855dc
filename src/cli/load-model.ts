/**
 * The model the engine commands (generate, edit, describe, chat, serve) run: a model folder plus the
 * VQ image tokenizer, checked against each other, with errors that say what to do.
 *
 * The committed tiny fixture (src/model/fixtures/tiny) has neither a text tokenizer nor a VQ of its
 * size: a folder with no tokenizer.json whose config is the tiny preset with 96 text ids is run with
 * the engine's test stand-ins (printable-ASCII tokenizer, block codec), with a note on stderr, so
 * the real CLI can be tested end to end on it. Its images are noise; it is not a model.
 *
 * @example
 *   const model = await loadModel({ model: 'models/default' });
 *   const { images } = await model.engine.generate({ prompt: 'a red fox', png: true });
 *   await model.close();
 */
import { basename, resolve } from 'node:path';
import { DEFAULT_MODEL_DIR, DEFAULT_VQ_DIR, EngineError, type ImageCodec, load, vqCodec } from '../engine/index.ts';
import { loadTokenizer, readModelDir } from '../engine/model-files.ts';
import { asciiTokenizer, BlockCodec } from '../engine/test-support.ts';
import { OnnxError } from '../runtime/onnx.ts';
import type { ServedModel } from '../server/options.ts';
import { ImageTokenizer, ImageTokenizerError } from '../tokenizers/image/index.ts';
import { UserError } from './command.ts';

export interface LoadedModel extends ServedModel {
  /** The image codec the engine was loaded with (the VQ, or the fixture's block stand-in). */
  codec: ImageCodec;
  /** The VQ behind `codec` and its folder; absent for the fixture's stand-in. */
  vq?: { tokenizer: ImageTokenizer; dir: string };
  close(): Promise<void>;
}

export interface ModelFlags {
  /** Model folder (default: the package's models/default). */
  model?: string;
  /** VQ folder (default: the package's models/vq). */
  vq?: string;
}

/** Engine-layer errors as the one-line messages the CLI shows. */
export function asUserError(error: unknown): unknown {
  if (error instanceof EngineError || error instanceof ImageTokenizerError || error instanceof OnnxError) return new UserError(error.message);
  return error;
}

async function loadVq(dir: string): Promise<ImageTokenizer> {
  try {
    return await ImageTokenizer.load(dir);
  } catch (error) {
    const hint = dir === DEFAULT_VQ_DIR ? ' (the default VQ is not installed: export one with python -m tessera_trainer.vq export, or pass --vq DIR)' : '';
    throw new UserError(`${(error as Error).message}${hint}`);
  }
}

export async function loadModel(flags: ModelFlags, note: (line: string) => void = (line) => console.error(line)): Promise<LoadedModel> {
  const dir = resolve(flags.model ?? DEFAULT_MODEL_DIR);
  let vq: ImageTokenizer | undefined;
  try {
    const files = await readModelDir(dir).catch((error: unknown) => {
      if (!(error instanceof EngineError)) throw error;
      const hint = flags.model === undefined ? ': the default model is not installed; train and export one (python -m tessera_trainer.lm export) or pass --model DIR' : '; pass --model a folder with config.json and lm.onnx';
      throw new UserError(`${error.message}${hint}`);
    });
    const { config } = files;
    const fixture = !files.tokenizer && config.preset === 'tiny' && config.vocab.text.size === 96;
    if (!files.tokenizer && !fixture) throw new UserError(`${dir} has no tokenizer.json, so prompts cannot be read: put the text tokenizer the model was trained with beside config.json`);
    const tokenizer = fixture ? asciiTokenizer : await loadTokenizer(files);

    let codec: ImageCodec;
    let imageSize: number;
    let vqDir: string | undefined;
    if (fixture && flags.vq === undefined) {
      note(`note: ${dir} is the tiny test fixture: using the ASCII tokenizer and block-codec stand-ins (its images are noise)`);
      codec = new BlockCodec();
      imageSize = 128;
    } else {
      vqDir = resolve(flags.vq ?? DEFAULT_VQ_DIR);
      vq = await loadVq(vqDir);
      const [grid, codes] = [config.image.grid[1], config.vocab.image.size];
      if (vq.grid !== grid || vq.codebookSize !== codes) {
        throw new UserError(`the VQ in ${vqDir} makes ${vq.grid}x${vq.grid} grids of ${vq.codebookSize} codes; ${dir} reads ${grid}x${grid} of ${codes}: pass the VQ it was trained with (--vq DIR)`);
      }
      codec = vqCodec(vq);
      imageSize = vq.imageSize;
    }
    const engine = await load(dir, { tokenizer, vq: codec });
    const release = vq;
    return {
      id: `tessera-${fixture ? 'tiny' : basename(dir)}`,
      engine,
      codec,
      ...(vq && vqDir ? { vq: { tokenizer: vq, dir: vqDir } } : {}),
      imageSize,
      countTokens: (text) => tokenizer.encode(text).length,
      close: async () => {
        await engine.close();
        await release?.release();
      },
    };
  } catch (error) {
    await vq?.release();
    throw asUserError(error);
  }
}
