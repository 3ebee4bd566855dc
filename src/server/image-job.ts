/**
 * One images request as an engine run: n images at `quality`'s candidates each (one batch, ranked
 * best-of-N), a random seed per request (as OpenAI's images differ call to call), and up to
 * `partial_images` previews of the first candidate, spread evenly over the grid rows.
 */
import { randomInt } from 'node:crypto';
import { EngineError, type RgbaImage } from '../engine/index.ts';
import type { ServedModel } from './options.ts';
import type { ImageParams } from './params.ts';
import { type Quality, resolveQuality } from './quality.ts';

export interface ImageJob {
  params: ImageParams;
  /** Edits: the source (and mask) at the model's size. */
  source?: RgbaImage;
  mask?: RgbaImage;
}

export type JobEvent = { type: 'partial'; image: RgbaImage } | { type: 'image'; image: RgbaImage };

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details: { text_tokens: number; image_tokens: number };
}

export interface JobPlan {
  n: number;
  quality: Quality;
  /** Candidates sampled in all (n x candidates per image). */
  candidates: number;
  partials: number;
  usage: Usage;
}

/** What a request will cost and return, before it runs (usage is known up front: image lengths are fixed). */
export function planJob(model: ServedModel, job: ImageJob): JobPlan {
  const { params } = job;
  const n = params.n ?? 1;
  const { quality, candidates } = resolveQuality(params.quality ?? 'auto');
  const tokens = model.engine.config.image.tokens;
  const text = model.countTokens(params.prompt);
  const image = job.source ? tokens : 0;
  const output = n * candidates * tokens;
  return {
    n,
    quality,
    candidates: n * candidates,
    partials: params.stream ? (params.partial_images ?? 0) : 0,
    usage: { input_tokens: text + image, output_tokens: output, total_tokens: text + image + output, input_tokens_details: { text_tokens: text, image_tokens: image } },
  };
}

export async function* runJob(model: ServedModel, job: ImageJob, plan: JobPlan, signal: AbortSignal): AsyncGenerator<JobEvent> {
  const { engine } = model;
  const grid = engine.config.image.grid[1];
  // Previews land on multiples of previewEvery rows; the first `partials` of them below the last row are sent.
  const previewEvery = plan.partials > 0 ? Math.floor(grid / (plan.partials + 1)) : 0;
  // Only candidate 0's previews are sent, so only its previews are decoded (the others' cost a VQ call per row).
  const options = { n: plan.candidates, score: plan.candidates > plan.n, previewEvery, previews: [0], seed: randomInt(2 ** 32), signal };
  const run = job.source
    ? engine.edit({ image: job.source, instruction: job.params.prompt, ...(job.mask ? { mask: job.mask } : {}), ...options })
    : engine.generate({ prompt: job.params.prompt, ...options });
  let partials = 0;
  let images = 0;
  for await (const event of run) {
    if (event.type === 'partial' && event.index === 0 && event.image && event.rows < grid && partials < plan.partials) {
      partials++;
      yield { type: 'partial', image: event.image };
    } else if (event.type === 'image' && images < plan.n) {
      if (!event.rgba) throw new EngineError('unavailable', 'the engine was loaded without a VQ image tokenizer, so it cannot return pixels');
      images++;
      yield { type: 'image', image: event.rgba };
    }
  }
}
