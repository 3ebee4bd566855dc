import { defineCommand, UserError } from '../command.ts';
import { MODEL_FLAGS, SAMPLING_FLAGS, samplingOptions } from '../engine-flags.ts';

export default defineCommand({
  name: 'describe',
  summary: 'Image -> text: what the model sees (a beam search, printed when done; --beams 1 streams as it writes)',
  usage: '<image>',
  flags: {
    question: { type: 'string', short: 'q', description: 'what to ask about the image (default: "describe the image")' },
    'max-tokens': { type: 'number', description: 'longest answer, in tokens', default: 128 },
    beams: { type: 'number', description: 'hypotheses the beam search keeps (default 4 with greedy settings; 1: greedy or sampled, streamed)' },
    ...SAMPLING_FLAGS,
    ...MODEL_FLAGS,
    json: { type: 'boolean', description: 'print {"image", "question", "text"} when done instead of streaming' },
  },
  async run({ positionals, flags }) {
    const [input] = positionals;
    if (!input || positionals.length > 1) throw new UserError('describe one image: tessera describe photo.png [--question "how many stars?"]');
    const [{ decodeImageFile, readFileBytes }, { asUserError, loadModel }] = await Promise.all([import('../image-files.ts'), import('../load-model.ts')]);
    const bytes = await readFileBytes(input);
    const model = await loadModel(flags);
    try {
      const image = await decodeImageFile(bytes, input, 'image', model.imageSize);
      const options = { maxTokens: flags['max-tokens'], ...(flags.question ? { question: flags.question } : {}), ...(flags.beams !== undefined ? { beams: flags.beams } : {}), ...samplingOptions(flags) };
      let text = '';
      for await (const event of model.engine.describe(image, options)) {
        if (event.type !== 'text') continue;
        text += event.text;
        if (!flags.json) process.stdout.write(event.text);
      }
      if (flags.json) console.log(JSON.stringify({ image: input, question: flags.question ?? null, model: model.id, text }));
      else process.stdout.write('\n');
    } catch (error) {
      throw asUserError(error);
    } finally {
      await model.close();
    }
  },
});
