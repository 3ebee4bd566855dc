/**
 * Image + instruction -> image: an edit episode (source image, instruction, then the reply image),
 * guided against the same episode without the instruction (the source image stays), with the model
 * folder's edit sampling defaults (model-sampling.ts).
 *
 * With a mask, locked tokens: every cell outside the mask is forced to the source's code, so the
 * untouched region is token-identical and only masked cells are sampled. Without one, the
 * instruction alone drives the edit.
 *
 * @example
 *   await engine.edit({ image: { codes }, instruction: 'make the star red', mask: { cells: [{ row: 3, col: 4 }] } });
 */
import { needTokenizer, samplingDefaults, type EngineContext } from './context.ts';
import { check } from './errors.ts';
import type { GenerateEvent } from './events.ts';
import { IMAGE_OUTPUT_KEYS, imageOutput, type ImageOutputOptions } from './generate.ts';
import { imageCodes, type ImageInput } from './image-input.ts';
import { imageEvents } from './image-run.ts';
import { editableCells, type EditMask, lockedCodes } from './mask.ts';
import { rejectUnknown, samplingSettings, type SamplingSettings } from './options.ts';
import { promptIds, type Turn } from './prompt.ts';

export interface EditOptions extends ImageOutputOptions, Partial<SamplingSettings> {
  image: ImageInput;
  instruction: string;
  /** The region to regenerate; everything else is locked to the source. */
  mask?: EditMask;
}

export async function* editImages(ctx: EngineContext, options: EditOptions): AsyncGenerator<GenerateEvent> {
  rejectUnknown(options, ['image', 'instruction', 'mask', ...IMAGE_OUTPUT_KEYS], 'edit');
  check(typeof options.instruction === 'string', 'edit: instruction must be a string');
  const tokenizer = needTokenizer(ctx);
  const out = imageOutput(ctx, options);
  const { vocab, image } = ctx.config;
  const source = await imageCodes(options.image, ctx.codec, image.tokens, vocab.image.size);
  const locks = options.mask ? lockedCodes(source, await editableCells(options.mask, image.grid[1])) : undefined;
  const turns: Turn[] = [{ role: 'user', parts: [{ codes: source }, { text: options.instruction }] }];
  const ids = (drop: boolean) => promptIds('edit', turns, tokenizer, vocab, { drop, imageTokens: image.tokens });
  yield* imageEvents(ctx, {
    ...out,
    prompt: ids(false),
    uncond: ids(true),
    settings: samplingSettings(options, samplingDefaults(ctx).edit),
    ...(locks ? { locks } : {}),
    ...(out.score ? { scoreText: options.instruction } : {}),
  });
}
