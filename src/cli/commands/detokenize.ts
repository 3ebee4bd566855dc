import { readFile } from 'node:fs/promises';
import { defineCommand, UserError } from '../command.ts';
import { OnnxError } from '../../runtime/onnx.ts';
import { ImageTokenizer, ImageTokenizerError, parseCodes, writeImage } from '../../tokenizers/image/index.ts';

export default defineCommand({
  name: 'detokenize',
  summary: 'Draw the image of a codes JSON file (from tessera tokenize)',
  usage: '<codes.json>',
  flags: {
    out: { type: 'string', short: 'o', description: 'image to write (.png, .jpg, .webp)', default: 'out.png' },
    rows: { type: 'number', description: 'preview: draw only the first N code rows, over white' },
    model: { type: 'string', description: 'VQ model folder (default: models/vq of the package)' },
  },
  async run({ positionals, flags }) {
    const [path] = positionals;
    if (!path) throw new UserError('which codes file? tessera detokenize codes.json --out out.png');
    try {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        throw new UserError(`cannot read ${path}`);
      }
      const file = parseCodes(text, path);
      const tokenizer = await ImageTokenizer.load(flags.model);
      if (file.grid !== tokenizer.grid) throw new UserError(`${path} holds a ${file.grid}x${file.grid} grid; this model takes ${tokenizer.grid}x${tokenizer.grid}`);
      const image = flags.rows === undefined ? await tokenizer.decode(file.codes) : await tokenizer.decodePartial(file.codes, flags.rows);
      await tokenizer.release();
      await writeImage(image, flags.out);
      console.log(`${path} -> ${flags.out} (${image.width}x${image.height}${flags.rows === undefined ? '' : `, first ${flags.rows} rows`})`);
    } catch (error) {
      if (error instanceof ImageTokenizerError || error instanceof OnnxError) throw new UserError(error.message);
      throw error;
    }
  },
});
