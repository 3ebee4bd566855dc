/**
 * The image tokenizer in Node, on held-out world scenes (not a test):
 *   node --import tsx bench/vq.ts [--model models/vq] [--threads 1,2] [--speed-images 40] [--usage-images 10000]
 * Speed: median encode, decode and encode + decode ms per 128 px image at batch 1 for each intra-op
 * thread count, over 4×4 grid scenes (issue 3's target: encode + decode < 20 ms). Usage: the share of
 * the codebook that the encoder emits over `--usage-images` scenes drawn like the tokenizer's training
 * data (TOKENIZER_WORLD), from a seed no shard was built with (target: >= 80% over 10k images).
 */
import { parseArgs } from '../src/cli/args.ts';
import { canvasPixels } from '../src/eval/verifier/image.ts';
import { Random, sampleSeed } from '../src/world/random.ts';
import { renderScene } from '../src/world/render/renderer.ts';
import { SceneSampler } from '../src/world/scene/sampler.ts';
import { TOKENIZER_WORLD, type WorldConfig } from '../src/world/scene/world-config.ts';
import { DEFAULT_VQ_DIR, ImageTokenizer } from '../src/tokenizers/image/index.ts';
import type { RawImage } from '../src/tokenizers/image/raw-image.ts';

const { flags } = parseArgs(process.argv.slice(2), {
  model: { type: 'string', default: DEFAULT_VQ_DIR, description: 'VQ model folder' },
  threads: { type: 'string', default: '1,2', description: 'comma-separated intra-op thread counts to time (empty: skip timing)' },
  'speed-images': { type: 'number', default: 40, description: 'timed images per thread count (after 5 warm-ups)' },
  'usage-images': { type: 'number', default: 10000, description: 'images for codebook usage (0 skips it)' },
  seed: { type: 'number', default: 424242, description: 'scene seed (the shards used 1 and 2)' },
});

async function render(world: WorldConfig, seed: number, i: number): Promise<RawImage> {
  const scene = new SceneSampler(world).scene(new Random(sampleSeed(seed, i)));
  const { width, height, data } = canvasPixels(await renderScene(scene));
  return { width, height, channels: 4, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const grid4x4: WorldConfig = { ...TOKENIZER_WORLD, layouts: { single: 0, grid: 1, free: 0, count: 0 }, grids: [[4, 4, 1]] };
const speedImages = await Promise.all(Array.from({ length: flags['speed-images'] }, (_, i) => render(grid4x4, flags.seed + 1, i)));
for (const threads of flags.threads.split(',').filter(Boolean).map(Number)) {
  const tokenizer = await ImageTokenizer.load(flags.model, { threads });
  for (let i = 0; i < 5; i++) await tokenizer.decode(await tokenizer.encode(speedImages[i % speedImages.length]));
  const encode: number[] = [];
  const decode: number[] = [];
  for (const image of speedImages) {
    const t0 = performance.now();
    const codes = await tokenizer.encode(image);
    const t1 = performance.now();
    await tokenizer.decode(codes);
    encode.push(t1 - t0);
    decode.push(performance.now() - t1);
  }
  const total = encode.map((e, i) => e + decode[i]);
  console.log(JSON.stringify({ bench: 'vq-speed', threads, images: speedImages.length, encodeMs: +median(encode).toFixed(2), decodeMs: +median(decode).toFixed(2), roundTripMs: +median(total).toFixed(2), bestRoundTripMs: +Math.min(...total).toFixed(2) }));
}

if (flags['usage-images'] > 0) {
  const tokenizer = await ImageTokenizer.load(flags.model, { threads: 1 });
  const seen = new Uint32Array(tokenizer.config.codebook_size);
  const started = performance.now();
  for (let i = 0; i < flags['usage-images']; i++) {
    for (const code of (await tokenizer.encode(await render(TOKENIZER_WORLD, flags.seed, i))) as Int32Array) seen[code]++;
  }
  const used = seen.filter((n) => n > 0).length;
  // Perplexity of the code distribution: how many codes are used "effectively", not just once.
  const total = seen.reduce((a, b) => a + b, 0);
  const entropy = seen.reduce((h, n) => (n ? h - (n / total) * Math.log(n / total) : h), 0);
  console.log(JSON.stringify({ bench: 'vq-usage', images: flags['usage-images'], used, codebook: seen.length, usedShare: +(used / seen.length).toFixed(4), perplexity: +Math.exp(entropy).toFixed(1), seconds: +((performance.now() - started) / 1000).toFixed(1) }));
}
