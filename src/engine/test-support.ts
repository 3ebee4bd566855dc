/**
 * Shared by the engine's tests: the committed tiny model (src/model/fixtures/tiny) with stand-ins for
 * the parts it lacks. Its text vocabulary is 96 ids, too small for the real BPE, so text is printable
 * ASCII shifted down by 32; its "VQ" maps each 8x8 block's red mean to a code and back to gray.
 */
import { fileURLToPath } from 'node:url';
import type { EngineContext } from './context.ts';
import { Engine } from './engine.ts';
import type { RgbaImage } from './events.ts';
import type { ImageCodec } from './image-codec.ts';
import { decodeImageFile } from './image-files.ts';
import { readModelDir } from './model-files.ts';
import { imageRules } from './constraints.ts';
import type { DecodeOptions } from './decode-loop.ts';
import { promptIds, type EngineTokenizer } from './prompt.ts';
import { LmSession } from './session.ts';

export const TINY_DIR = fileURLToPath(new URL('../model/fixtures/tiny', import.meta.url));

export const asciiTokenizer: EngineTokenizer = {
  encode: (text) => Array.from(text, (c) => {
    const code = c.charCodeAt(0);
    return code >= 32 && code < 128 ? code - 32 : 31; // '?'
  }),
  tokenBytes: (id) => Uint8Array.of(id + 32),
};

/** A 128 px "VQ" for a 16x16 grid of 256 codes: block means in, flat gray blocks out. */
export class BlockCodec implements ImageCodec {
  calls = { encode: 0, decode: 0, partial: 0, decodeBatch: 0, partialBatch: 0 };

  async encode(input: RgbaImage | Uint8Array): Promise<Uint16Array> {
    this.calls.encode++;
    const image = input instanceof Uint8Array ? await decodeImageFile(input) : input;
    const sums = new Float64Array(256);
    const counts = new Float64Array(256);
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const cell = Math.floor((y * 16) / image.height) * 16 + Math.floor((x * 16) / image.width);
        sums[cell] += image.data[(y * image.width + x) * 4];
        counts[cell]++;
      }
    }
    return Uint16Array.from(sums, (s, i) => Math.min(255, Math.round(s / counts[i])));
  }

  async decode(codes: ArrayLike<number>): Promise<RgbaImage> {
    this.calls.decode++;
    return this.#paint(codes, 16);
  }

  async decodePartial(codes: ArrayLike<number>, rows: number): Promise<RgbaImage> {
    this.calls.partial++;
    return this.#paint(codes, rows);
  }

  async decodeBatch(codes: readonly ArrayLike<number>[]): Promise<RgbaImage[]> {
    this.calls.decodeBatch++;
    return codes.map((c) => this.#paint(c, 16));
  }

  async decodePartialBatch(codes: readonly ArrayLike<number>[], rows: number): Promise<RgbaImage[]> {
    this.calls.partialBatch++;
    return codes.map((c) => this.#paint(c, rows));
  }

  #paint(codes: ArrayLike<number>, rows: number): RgbaImage {
    const pixels = new Uint32Array(128 * 128); // little-endian RGBA: alpha in the top byte
    for (let y = 0; y < rows * 8; y++) {
      for (let col = 0; col < 16; col++) {
        const v = codes[(y >> 3) * 16 + col];
        pixels.fill((0xff000000 | (v << 16) | (v << 8) | v) >>> 0, y * 128 + col * 8, y * 128 + col * 8 + 8);
      }
    }
    return { width: 128, height: 128, data: new Uint8Array(pixels.buffer) };
  }
}

/** The tiny model's context, open for spying (wrap `session.decode` to count steps). */
export async function tinyContext(codec: ImageCodec | undefined = new BlockCodec()): Promise<EngineContext> {
  const files = await readModelDir(TINY_DIR);
  const session = await LmSession.create(files.lm, files.config, { intraOpNumThreads: 1 });
  return { config: files.config, session, tokenizer: asciiTokenizer, ...(codec ? { codec } : {}) };
}

export async function tinyEngine(codec?: ImageCodec): Promise<Engine> {
  return new Engine(await tinyContext(codec));
}

/** Counts decode calls (and their batch sizes) on a context's session. */
export function countDecodes(ctx: EngineContext, onCall?: (call: number) => void): number[] {
  const batches: number[] = [];
  const real = ctx.session.decode.bind(ctx.session);
  ctx.session.decode = (cache, tokens, kind) => {
    batches.push(tokens.length);
    onCall?.(batches.length);
    return real(cache, tokens, kind);
  };
  return batches;
}

/** All events of an async iterable, in order. */
export async function collect<E>(events: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/**
 * The decode loop's test setup: the tiny model without a codec, a t2i prompt and its unconditional
 * twin, and decode options for one image (CFG 3, temperature 1, seed 1) with overrides.
 */
export async function decodeFixture(): Promise<{
  ctx: EngineContext;
  prompt: number[];
  uncond: number[];
  options: (over?: Partial<DecodeOptions>) => DecodeOptions;
}> {
  const ctx = await tinyContext(undefined);
  const turns = [{ role: 'user' as const, parts: [{ text: 'a red fox' }] }];
  return {
    ctx,
    prompt: promptIds('t2i', turns, asciiTokenizer, ctx.config.vocab),
    uncond: promptIds('t2i', turns, asciiTokenizer, ctx.config.vocab, { drop: true }),
    options: (over = {}) => ({ cfg: 3, sampling: { temperature: 1, topK: 0, topP: 1 }, seed: 1, rules: imageRules(), maxNewTokens: 258, ...over }),
  };
}
