/**
 * The image tokenizer: 128x128 RGB <-> a 16x16 grid of codes (row-major Int32Array of 256 ids in
 * [0, 1024)), through the VQ's two ONNX graphs. Runtime-agnostic: sessions come from runtime/onnx.ts.
 *
 * @example
 *   const tokenizer = await ImageTokenizer.load();          // models/vq beside package.json
 *   const codes = await tokenizer.encode(await readImage('cat.png'));
 *   const image = await tokenizer.decode(codes);            // RGBA 128x128
 *   const preview = await tokenizer.decodePartial(codes.subarray(0, 5 * 16));  // 5 rows over white
 */
import { fileURLToPath } from 'node:url';
import { createSession, type OnnxSession, type RuntimeName, tensor } from '../../runtime/onnx.ts';
import { ImageTokenizerError } from './errors.ts';
import { checkImage, fromPlanarFloat, type RawImage, toPlanarFloat } from './raw-image.ts';
import { parseVqConfig, type VqConfig } from './vq-config.ts';

/** The shipped tokenizer's folder, resolved from this file (not the cwd). */
export const DEFAULT_VQ_DIR = fileURLToPath(new URL('../../../models/vq', import.meta.url));

export interface ImageTokenizerOptions {
  runtime?: RuntimeName;
  /** Intra-op threads per session; the runtime's default (all cores) when unset. */
  threads?: number;
}

/** A model given as file paths (Node) or URLs / bytes (browser). */
export interface ImageTokenizerSource {
  config: unknown;
  encoder: string | Uint8Array;
  decoder: string | Uint8Array;
}

export class ImageTokenizer {
  private constructor(
    readonly config: VqConfig,
    private readonly encoder: OnnxSession,
    private readonly decoder: OnnxSession,
    private readonly runtime: RuntimeName | undefined,
  ) {}

  /** Loads config.json, encoder.onnx and decoder.onnx from a folder (Node). */
  static async load(dir: string = DEFAULT_VQ_DIR, options: ImageTokenizerOptions = {}): Promise<ImageTokenizer> {
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    let text: string;
    try {
      text = await readFile(join(dir, 'config.json'), 'utf8');
    } catch {
      throw new ImageTokenizerError(`no VQ model in ${dir} (config.json missing): export one with python -m tessera_trainer.vq export`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ImageTokenizerError(`${join(dir, 'config.json')} is not JSON: ${(error as Error).message}`);
    }
    const config = parseVqConfig(json, join(dir, 'config.json'));
    return ImageTokenizer.create({ config, encoder: join(dir, config.encoder.file), decoder: join(dir, config.decoder.file) }, options);
  }

  /** From an already fetched config and the two graphs (paths, URLs or bytes). */
  static async create(source: ImageTokenizerSource, options: ImageTokenizerOptions = {}): Promise<ImageTokenizer> {
    const config = parseVqConfig(source.config);
    const sessionOptions = { runtime: options.runtime, ...(options.threads ? { intraOpNumThreads: options.threads } : {}) };
    try {
      const [encoder, decoder] = await Promise.all([createSession(source.encoder, sessionOptions), createSession(source.decoder, sessionOptions)]);
      return new ImageTokenizer(config, encoder, decoder, options.runtime);
    } catch (error) {
      throw new ImageTokenizerError((error as Error).message, { cause: error });
    }
  }

  /** Codes per side (16). */
  get grid(): number {
    return this.config.grid;
  }

  /** Codes per image (256). */
  get tokensPerImage(): number {
    return this.config.grid * this.config.grid;
  }

  get imageSize(): number {
    return this.config.image_size;
  }

  get codebookSize(): number {
    return this.config.codebook_size;
  }

  /** image_size x image_size RGB or RGBA (transparency is composited onto white) -> codes. */
  encode(image: RawImage): Promise<Int32Array>;
  encode(images: readonly RawImage[]): Promise<Int32Array[]>;
  async encode(input: RawImage | readonly RawImage[]): Promise<Int32Array | Int32Array[]> {
    const images = Array.isArray(input) ? (input as readonly RawImage[]) : [input as RawImage];
    if (images.length === 0) return [];
    const s = this.imageSize;
    const pixels = new Float32Array(images.length * 3 * s * s);
    images.forEach((image, i) => {
      checkImage(image, `image ${i}`);
      if (image.width !== s || image.height !== s) {
        throw new ImageTokenizerError(`image ${i} is ${image.width}x${image.height}; the tokenizer takes ${s}x${s} (readImage letterboxes other sizes)`);
      }
      toPlanarFloat(image, pixels, i * 3 * s * s);
    });
    const feeds = { [this.config.encoder.input]: tensor('float32', pixels, [images.length, 3, s, s], this.runtime) };
    const result = await this.encoder.run(feeds);
    const data = result[this.config.encoder.output].data as Int32Array;
    const n = this.tokensPerImage;
    const codes = images.map((_, i) => data.slice(i * n, (i + 1) * n));
    return Array.isArray(input) ? codes : codes[0];
  }

  /** Codes (256 ids, row-major) -> RGBA image_size x image_size. */
  decode(codes: ArrayLike<number>): Promise<RawImage>;
  decode(batch: readonly ArrayLike<number>[]): Promise<RawImage[]>;
  async decode(input: ArrayLike<number> | readonly ArrayLike<number>[]): Promise<RawImage | RawImage[]> {
    const isBatch = Array.isArray(input) && (input.length === 0 || typeof input[0] !== 'number');
    const batch = isBatch ? (input as readonly ArrayLike<number>[]) : [input as ArrayLike<number>];
    if (batch.length === 0) return [];
    const n = this.tokensPerImage;
    const ids = new Int32Array(batch.length * n);
    batch.forEach((codes, i) => ids.set(this.checkCodes(codes, `codes ${i}`), i * n));
    const g = this.grid;
    const feeds = { [this.config.decoder.input]: tensor('int32', ids, [batch.length, g, g], this.runtime) };
    const result = await this.decoder.run(feeds);
    const planar = result[this.config.decoder.output].data as Float32Array;
    const s = this.imageSize;
    const images = batch.map((_, i) => fromPlanarFloat(planar, s, s, i * 3 * s * s));
    return isBatch ? images : images[0];
  }

  /**
   * A streaming preview: the first `rowsKnown` code rows (default: every complete row in `codes`)
   * drawn over white. Unknown rows are decoded as `blank_code` (a white patch) and then painted
   * white, so the known rows keep their real look and only their bottom edge blends into the blank.
   * Given a batch (one `rowsKnown` for all), every preview comes from ONE decoder run, with the
   * same pixels as one call each. The decoder's GroupNorms read the whole grid, so no preview can
   * be cut down to the new rows alone (BENCHMARKS.md, "Previews").
   */
  decodePartial(codes: ArrayLike<number>, rowsKnown?: number): Promise<RawImage>;
  decodePartial(batch: readonly ArrayLike<number>[], rowsKnown: number): Promise<RawImage[]>;
  async decodePartial(input: ArrayLike<number> | readonly ArrayLike<number>[], rowsKnown?: number): Promise<RawImage | RawImage[]> {
    // [] is the empty grid of a 0-row preview (one image), not an empty batch
    const isBatch = Array.isArray(input) && input.length > 0 && typeof input[0] !== 'number';
    const batch = isBatch ? (input as readonly ArrayLike<number>[]) : [input as ArrayLike<number>];
    const g = this.grid;
    const rows = rowsKnown ?? Math.floor((batch[0]?.length ?? 0) / g);
    if (!Number.isInteger(rows) || rows < 0 || rows > g) {
      throw new ImageTokenizerError(`rowsKnown must be an integer in [0, ${g}], got ${rows}`);
    }
    batch.forEach((codes) => {
      if (codes.length < rows * g) throw new ImageTokenizerError(`${rows} known rows need ${rows * g} codes, got ${codes.length}`);
    });
    const s = this.imageSize;
    let images: RawImage[];
    if (rows === 0) images = batch.map(() => ({ width: s, height: s, channels: 4, data: new Uint8Array(s * s * 4).fill(255) }));
    else {
      const grids = batch.map((codes) => {
        const full = new Int32Array(this.tokensPerImage).fill(this.config.blank_code);
        for (let i = 0; i < rows * g; i++) full[i] = codes[i];
        return full;
      });
      images = await this.decode(grids);
      const firstBlankPixelRow = (rows * s) / g;
      for (const image of images) image.data.fill(255, firstBlankPixelRow * s * 4);
    }
    return isBatch ? images : images[0];
  }

  async release(): Promise<void> {
    await Promise.all([this.encoder.release(), this.decoder.release()]);
  }

  private checkCodes(codes: ArrayLike<number>, what: string): ArrayLike<number> {
    const n = this.tokensPerImage;
    if (codes.length !== n) throw new ImageTokenizerError(`${what}: expected ${n} codes (${this.grid}x${this.grid}), got ${codes.length}`);
    const k = this.codebookSize;
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      if (!Number.isInteger(c) || c < 0 || c >= k) throw new ImageTokenizerError(`${what}: code ${i} is ${c}, outside [0, ${k})`);
    }
    return codes;
  }
}
