/**
 * The engine's public surface: `load`, an Engine's four methods, their options and events.
 *
 * @example
 *   import { load } from './engine/index.ts';
 *   const engine = await load();
 *   const { images } = await engine.generate({ prompt: 'a blue star on green', n: 4 });
 */
export { load, Engine, type LoadOptions } from './engine.ts';
export { EngineError, type EngineErrorCode } from './errors.ts';
export type { GenerateOptions, ImageOutputOptions } from './generate.ts';
export type { EditOptions } from './edit.ts';
export type { DescribeOptions } from './describe.ts';
export type { ChatMessage, ChatOptions, ChatPart } from './chat.ts';
export type { ChatEvent, DescribeEvent, GenerateEvent, GeneratedImage, RgbaImage, Run } from './events.ts';
export type { ImageCodec } from './image-codec.ts';
export type { ImageInput } from './image-input.ts';
export type { Box, EditMask } from './mask.ts';
export type { EngineTokenizer } from './prompt.ts';
export { IMAGE_DEFAULTS, TEXT_DEFAULTS, type SamplingSettings } from './options.ts';
export { DEFAULT_MODEL_DIR, DEFAULT_VQ_DIR } from './model-files.ts';
export { ENGINE_SAMPLING, type ModelSampling, parseModelSampling } from './model-sampling.ts';
export { vqCodec } from './vq-codec.ts';
