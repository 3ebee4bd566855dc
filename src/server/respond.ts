/**
 * Runs an image job under the queue and answers in OpenAI's shapes: one JSON ImagesResponse, or a
 * server-sent event stream (`<prefix>.partial_image` events, then one `<prefix>.completed` per
 * image, each carrying the request's usage). The queue slot is held until the last byte or the
 * client's disconnect, which aborts the engine run within one decode step.
 *
 * An error after the stream has started is sent as `event: error` with `{ error }`, which the openai
 * client raises as an APIError.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from './app.ts';
import { encodeImage, type OutputFormat } from './encode.ts';
import { reportError } from './errors.ts';
import { type ImageJob, planJob, runJob } from './image-job.ts';
import type { ServedModel } from './options.ts';
import type { GenerationQueue } from './queue.ts';

export type StreamPrefix = 'image_generation' | 'image_edit';

export async function respondWithImages(c: Context<AppEnv>, model: ServedModel, queue: GenerationQueue, job: ImageJob, prefix: StreamPrefix): Promise<Response> {
  const plan = planJob(model, job);
  const format: OutputFormat = job.params.output_format ?? 'png';
  const encode = async (image: Parameters<typeof encodeImage>[0]) => (await encodeImage(image, { format, compression: job.params.output_compression ?? 100 })).toString('base64');
  const settings = { size: `${model.imageSize}x${model.imageSize}`, quality: plan.quality, background: 'opaque' as const, output_format: format };
  const signal = c.get('signal');
  const release = await queue.acquire(signal);

  if (!job.params.stream) {
    try {
      const data: { b64_json: string }[] = [];
      for await (const event of runJob(model, job, plan, signal)) if (event.type === 'image') data.push({ b64_json: await encode(event.image) });
      return c.json({ created: Math.floor(Date.now() / 1000), data, ...settings, usage: plan.usage });
    } finally {
      release();
    }
  }

  return streamSSE(c, async (stream) => {
    const gone = new AbortController();
    stream.onAbort(() => gone.abort(new DOMException('the client disconnected', 'AbortError')));
    const runSignal = AbortSignal.any([signal, gone.signal]);
    try {
      let index = 0;
      for await (const event of runJob(model, job, plan, runSignal)) {
        const b64_json = await encode(event.image);
        const created_at = Math.floor(Date.now() / 1000);
        const data = event.type === 'partial'
          ? { type: `${prefix}.partial_image`, b64_json, partial_image_index: index++, created_at, ...settings }
          : { type: `${prefix}.completed`, b64_json, created_at, ...settings, usage: plan.usage };
        await stream.writeSSE({ event: data.type, data: JSON.stringify(data) });
      }
    } catch (error) {
      if (!runSignal.aborted) await stream.writeSSE({ event: 'error', data: JSON.stringify(reportError(error).toJSON()) });
    } finally {
      release();
    }
  });
}
