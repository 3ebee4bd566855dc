import { defineCommand, UserError } from '../command.ts';
import { median } from '../../util/median.ts';
import { OnnxError } from '../../runtime/onnx.ts';
import { ImageTokenizer, ImageTokenizerError, psnr, readImage, writeImage } from '../../tokenizers/image/index.ts';

export default defineCommand({
  name: 'roundtrip',
  summary: 'Encode and decode an image through the VQ; print PSNR and timings',
  usage: '<image>',
  flags: {
    out: { type: 'string', short: 'o', description: 'write the reconstruction here (.png, .jpg, .webp)' },
    model: { type: 'string', description: 'VQ model folder (default: models/vq of the package)' },
    json: { type: 'boolean', description: 'print JSON instead of text' },
    repeats: { type: 'number', description: 'timed runs after one warm-up; the median is reported', default: 5 },
  },
  async run({ positionals, flags }) {
    const [path] = positionals;
    if (!path) throw new UserError('which image? tessera roundtrip cat.png --out cat-vq.png');
    try {
      const tokenizer = await ImageTokenizer.load(flags.model);
      const original = await readImage(path, tokenizer.imageSize);
      const repeats = flags.repeats;
      if (!Number.isInteger(repeats) || repeats < 1 || repeats > 1000) throw new UserError(`--repeats must be an integer from 1 to 1000, not ${repeats}`);
      await tokenizer.decode(await tokenizer.encode(original)); // warm-up: first runs allocate
      const encodeTimes: number[] = [];
      const decodeTimes: number[] = [];
      let codes: Int32Array = new Int32Array(0);
      let reconstruction = original;
      for (let i = 0; i < repeats; i++) {
        let t = performance.now();
        codes = await tokenizer.encode(original);
        encodeTimes.push(performance.now() - t);
        t = performance.now();
        reconstruction = await tokenizer.decode(codes);
        decodeTimes.push(performance.now() - t);
      }
      const encodeMs = median(encodeTimes);
      const decodeMs = median(decodeTimes);
      await tokenizer.release();
      const db = psnr(original, reconstruction);
      if (flags.out !== undefined) await writeImage(reconstruction, flags.out);
      if (flags.json) {
        console.log(JSON.stringify({ image: path, psnr: db, encodeMs, decodeMs, distinctCodes: new Set(codes).size }));
        return;
      }
      console.log(`${path}: PSNR ${db.toFixed(2)} dB, ${new Set(codes).size} distinct codes; encode ${encodeMs.toFixed(1)} ms, decode ${decodeMs.toFixed(1)} ms${flags.out ? ` -> ${flags.out}` : ''}`);
    } catch (error) {
      if (error instanceof ImageTokenizerError || error instanceof OnnxError) throw new UserError(error.message);
      throw error;
    }
  },
});

