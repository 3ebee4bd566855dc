/**
 * The image half of generate and edit: N candidates decoded as one batch (2N rows with guidance),
 * streamed as progress and per-row partial events, then ranked best-of-N and emitted as image
 * events, best first, and a final done event.
 *
 * Previews: only for the candidates asked for (`previews`; a UI that shows one candidate should not
 * pay a VQ decode per row for the others). Those that complete a grid row in the same step get their
 * previews from ONE VQ call, and the unconditional rows never get any. The first shown candidate gets
 * a head start (decode-loop.ts) up to its first preview, so that preview waits for steps at a batch
 * of one candidate, not N. The preview of the whole grid is the full decode, so it becomes the final
 * image; the candidates without one are decoded together at the end. Previews run beside the
 * decode loop (ordered-events.ts) and, with the VQ in its worker (vq-worker.ts), on another core.
 */
import { rankByScore, scoreImages } from './best-of-n.ts';
import { imageRules } from './constraints.ts';
import type { EngineContext } from './context.ts';
import { decodeTokens } from './decode-loop.ts';
import type { JacobiOptions } from './jacobi.ts';
import type { GenerateEvent, GeneratedImage, RgbaImage } from './events.ts';
import { copyImage, decodeAll, decodeRowsBatch } from './image-codec.ts';
import type { SamplingSettings } from './options.ts';
import { encodePng } from './image-files.ts';
import { OrderedEvents } from './ordered-events.ts';

export interface ImageRequest {
  prompt: number[];
  /** The unconditional twin of `prompt` (its user text dropped), for guidance. */
  uncond: number[];
  n: number;
  settings: SamplingSettings;
  /** Edit: per cell, the source code to keep, or -1. */
  locks?: Int32Array;
  /** Text whose i2t likelihood ranks the candidates; no scoring without it. */
  scoreText?: string;
  /** Decode a preview every this many grid rows (0: partial events carry codes only). */
  previewEvery: number;
  /** The candidates whose partial events carry previews, ascending. */
  previews: readonly number[];
  png: boolean;
  signal?: AbortSignal;
  /** Speculative Jacobi decoding (off when absent); no head start with it. */
  jacobi?: JacobiOptions;
}

export async function* imageEvents(ctx: EngineContext, request: ImageRequest): AsyncGenerator<GenerateEvent> {
  const { vocab, image } = ctx.config;
  const grid = image.grid[1];
  const total = image.tokens + 2; // <boi> codes <eoi>
  const codes = Array.from({ length: request.n }, () => new Uint16Array(image.tokens));
  const counts = new Int32Array(request.n);
  const { settings } = request;
  const previewing = ctx.codec !== undefined && request.previewEvery > 0 && request.previews.length > 0;
  const shown = new Set(previewing ? request.previews : []);
  const wantsPreview = (b: number, rows: number) => shown.has(b) && rows % request.previewEvery === 0;
  // The first preview is the latency users see. Its row ends after <boi> and previewEvery rows of codes.
  const headStart = previewing ? { candidate: request.previews[0], steps: 1 + request.previewEvery * grid } : undefined;
  const steps = decodeTokens(ctx.session, Array(request.n).fill(request.prompt), Array(request.n).fill(request.uncond), {
    cfg: settings.cfg,
    sampling: settings,
    seed: settings.seed,
    rules: imageRules(request.locks),
    maxNewTokens: total,
    signal: request.signal,
    ...(headStart && !request.jacobi ? { headStart } : {}),
    ...(request.jacobi ? { jacobi: request.jacobi } : {}),
  });
  const finals: (RgbaImage | undefined)[] = codes.map(() => undefined);
  /** A candidate's row-complete event, its codes as of now; its preview of the whole grid is its final image too. */
  const partial = (b: number, preview: Promise<RgbaImage> | undefined): GenerateEvent | Promise<GenerateEvent> => {
    const rows = counts[b] / grid;
    const event = { type: 'partial' as const, index: b, rows, codes: codes[b].slice(0, counts[b]) };
    if (!preview) return event;
    return preview.then((image) => {
      if (rows === grid) finals[b] = copyImage(image);
      return { ...event, image };
    });
  };
  // Previews decode beside the decode loop (in the VQ worker, when the codec runs one): the loop goes
  // on while they run and events leave in order. Only the first preview is waited for in place (and
  // decoded on this thread): it is the latency users see, and noticing it between steps would add up
  // to a step to it.
  const queue = new OrderedEvents<GenerateEvent>();
  let firstPreview = true;
  let progress = 0; // a head start repeats steps for the candidates that catch up: report each once
  for await (const { step, tokens } of steps) {
    if (step >= progress) queue.push({ type: 'progress', done: (progress = step + 1), total });
    const completed: number[] = []; // candidates that finished a grid row this step
    for (let b = 0; b < request.n; b++) {
      const id = tokens[b];
      if (id < vocab.image.start || id >= vocab.image.start + vocab.image.size) continue;
      codes[b][counts[b]++] = id - vocab.image.start;
      if (counts[b] % grid === 0) completed.push(b);
    }
    const previews = new Map<number, Promise<RgbaImage>>();
    for (const rows of new Set(completed.map((b) => counts[b] / grid))) {
      const group = completed.filter((b) => counts[b] / grid === rows && wantsPreview(b, rows));
      if (group.length === 0) continue;
      // The first preview is awaited at once, so it decodes here; later ones beside the loop.
      const codec = firstPreview ? (ctx.codec!.onCallingThread ?? ctx.codec!) : ctx.codec!;
      // Copies: the loop keeps writing codes while the preview waits for the worker.
      const images = decodeRowsBatch(codec, group.map((b) => codes[b].slice()), rows, grid);
      group.forEach((b, i) => previews.set(b, images.then((all) => all[i])));
    }
    for (const b of completed) queue.push(partial(b, previews.get(b)));
    if (firstPreview && previews.size > 0) {
      firstPreview = false;
      yield* queue.drain(request.signal);
    } else yield* queue.ready();
  }
  yield* queue.drain(request.signal);
  const scores = request.scoreText !== undefined ? await scoreImages(ctx, codes, request.scoreText) : undefined;
  request.signal?.throwIfAborted();
  const order = scores ? rankByScore(scores) : codes.map((_, i) => i);
  if (ctx.codec) {
    const missing = order.filter((b) => !finals[b]);
    const decoded = await decodeAll(ctx.codec, missing.map((b) => codes[b]));
    missing.forEach((b, i) => (finals[b] = decoded[i]));
  }
  const images: GeneratedImage[] = [];
  for (const index of order) {
    const result: GeneratedImage = { index, codes: codes[index] };
    if (scores) result.score = scores[index];
    if (finals[index]) result.rgba = finals[index];
    if (request.png && result.rgba) result.png = await encodePng(result.rgba);
    images.push(result);
    yield { type: 'image', ...result };
  }
  yield { type: 'done', images, scores: scores ? images.map((im) => im.score!) : [] };
}
