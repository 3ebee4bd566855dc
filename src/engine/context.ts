/** What every operation of a loaded engine reads: the model, its config, and the tokenizers. */
import type { ModelConfig } from '../model/model-config.ts';
import { EngineError } from './errors.ts';
import type { ImageCodec } from './image-codec.ts';
import type { EngineTokenizer } from './prompt.ts';
import { ENGINE_SAMPLING, type ModelSampling } from './model-sampling.ts';
import type { LmSession } from './session.ts';

export interface EngineContext {
  config: ModelConfig;
  session: LmSession;
  tokenizer?: EngineTokenizer;
  /** The VQ; without it images stay codes. */
  codec?: ImageCodec;
  /** The model folder's sampling defaults; the engine's own when absent. */
  sampling?: ModelSampling;
}

export const samplingDefaults = (ctx: EngineContext): ModelSampling => ctx.sampling ?? ENGINE_SAMPLING;

export function needTokenizer(ctx: EngineContext): EngineTokenizer {
  if (!ctx.tokenizer) throw new EngineError('unavailable', 'this engine was loaded without a text tokenizer (tokenizer.json)');
  return ctx.tokenizer;
}
