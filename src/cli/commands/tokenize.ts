import { writeFile } from 'node:fs/promises';
import { defineCommand, UserError } from '../command.ts';
import { OnnxError } from '../../runtime/onnx.ts';
import { ImageTokenizer, ImageTokenizerError, readImage, serializeCodes } from '../../tokenizers/image/index.ts';

export default defineCommand({
  name: 'tokenize',
  summary: 'Turn an image into its 16x16 VQ codes (other sizes are letterboxed onto white)',
  usage: '<image>',
  flags: {
    out: { type: 'string', short: 'o', description: 'write the codes JSON here instead of printing it' },
    model: { type: 'string', description: 'VQ model folder (default: models/vq of the package)' },
  },
  async run({ positionals, flags }) {
    const [path] = positionals;
    if (!path) throw new UserError('which image? tessera tokenize cat.png --out codes.json');
    try {
      const tokenizer = await ImageTokenizer.load(flags.model);
      const codes = await tokenizer.encode(await readImage(path, tokenizer.imageSize));
      const json = serializeCodes(codes, tokenizer.grid, tokenizer.codebookSize, path);
      await tokenizer.release();
      if (flags.out === undefined) {
        process.stdout.write(json);
        return;
      }
      await writeFile(flags.out, json);
      console.log(`${path}: ${codes.length} codes (${tokenizer.grid}x${tokenizer.grid}, ${new Set(codes).size} distinct) -> ${flags.out}`);
    } catch (error) {
      if (error instanceof ImageTokenizerError || error instanceof OnnxError) throw new UserError(error.message);
      throw error;
    }
  },
});
