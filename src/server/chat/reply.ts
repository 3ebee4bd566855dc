/**
 * One assistant turn: picks the engine call, streams its events as wire events (pixel rows as they
 * decode), and returns the message to store. Nothing here touches the store, so a cancelled or
 * failed run leaves no trace.
 *
 *   edit turn                          engine.edit, n candidates in one batch, ranked best-of-N
 *   first turn, text only, n > 1       engine.generate, likewise (a t2i episode, as chat would make)
 *   otherwise                          engine.chat with the whole thread; n > 1 runs it n times with
 *                                      consecutive seeds (chat has no batch), unranked
 */
import type { ChatMessage, Engine, GenerateEvent, ImageInput, RgbaImage } from '../../engine/index.ts';
import type { ChatEvent } from '../../engine/index.ts';
import type { NewImage, NewMessage } from '../store/index.ts';
import { rgbaToPng } from './images.ts';
import type { ReplyKind, StreamEvent } from './wire.ts';

export type ReplyPlan = { n: number; seed: number } & (
  | { mode: 'chat'; history: ChatMessage[]; reply: ReplyKind }
  | { mode: 'generate'; prompt: string }
  | { mode: 'edit'; image: ImageInput; instruction: string; mask?: Uint8Array }
);

/** Where one engine run's images land: (slot, candidate) from an event's index. */
interface RunSpec {
  events: AsyncIterable<GenerateEvent | ChatEvent>;
  place(index: number): { slot: number; candidate: number };
}

export function planRuns(engine: Engine, plan: ReplyPlan, signal: AbortSignal): RunSpec[] {
  const { n, seed } = plan;
  if (plan.mode === 'generate') return [{ events: engine.generate({ prompt: plan.prompt, n, seed, signal }), place: (candidate) => ({ slot: 0, candidate }) }];
  if (plan.mode === 'edit') {
    const events = engine.edit({ image: plan.image, instruction: plan.instruction, n, seed, signal, ...(plan.mask ? { mask: plan.mask } : {}) });
    return [{ events, place: (candidate) => ({ slot: 0, candidate }) }];
  }
  const reply = n > 1 ? 'image' : plan.reply;
  return Array.from({ length: n }, (_, k) => ({
    events: engine.chat(plan.history, { reply, seed: (seed + k) % 2 ** 32, signal }),
    place: (slot: number) => ({ slot, candidate: k }),
  }));
}

/** The rows [y, y + h) of an image as base64 RGBA. */
export function band(image: RgbaImage, y: number, h: number): string {
  const start = y * image.width * 4;
  const bytes = image.data.subarray(start, start + h * image.width * 4);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Streams the turn; returns the assistant message to commit. */
export async function* runReply(engine: Engine, plan: ReplyPlan, signal: AbortSignal): AsyncGenerator<StreamEvent, NewMessage> {
  const gridRows = engine.config.image.grid[0];
  const runs = planRuns(engine, plan, signal);
  const images: NewImage[] = [];
  const rowsSent = new Map<string, number>();
  let text = '';
  for (const [k, run] of runs.entries()) {
    let firstImage = true;
    for await (const event of run.events) {
      if (event.type === 'progress') {
        yield { type: 'progress', done: k * event.total + event.done, total: runs.length * event.total };
      } else if (event.type === 'text') {
        text += event.text;
        yield { type: 'text', text: event.text };
      } else if (event.type === 'partial') {
        const { slot, candidate } = run.place(event.index);
        const key = `${slot}:${candidate}`;
        const image = event.image;
        const height = image?.height ?? 0;
        const y = Math.floor(((rowsSent.get(key) ?? 0) * height) / gridRows);
        const bandHeight = Math.floor((event.rows * height) / gridRows) - y;
        rowsSent.set(key, event.rows);
        yield { type: 'partial', slot, candidate, rows: event.rows, gridRows, width: image?.width ?? 0, height, y, bandHeight, ...(image ? { rgba: band(image, y, bandHeight) } : {}) };
      } else if (event.type === 'image') {
        const { slot, candidate } = run.place(event.index);
        // Ranked runs emit their best candidate first; unranked chat runs continue with the first.
        const chosen = plan.mode === 'chat' ? candidate === 0 : firstImage;
        firstImage = false;
        const score = event.score ?? null;
        images.push({ kind: 'generated', slot, candidate, chosen, score, width: event.rgba?.width ?? 0, height: event.rgba?.height ?? 0, codes: event.codes, png: event.rgba ? await rgbaToPng(event.rgba) : null });
        yield { type: 'image', slot, candidate, score };
      }
    }
  }
  images.sort((a, b) => a.slot! - b.slot! || a.candidate! - b.candidate!);
  const reply = plan.mode === 'chat' ? (plan.n > 1 ? 'image' : plan.reply) : 'image';
  return { text, images, params: { mode: plan.mode, n: plan.n, seed: plan.seed, reply } };
}
