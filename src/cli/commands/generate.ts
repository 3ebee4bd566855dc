import { defineCommand, UserError } from '../command.ts';
import { checkImageRunFlags, IMAGE_RUN_FLAGS, samplingOptions } from '../engine-flags.ts';

export default defineCommand({
  name: 'generate',
  summary: 'Text -> images, best first: out.png, or out-1.png, out-2.png... with --n',
  usage: '"<prompt>"',
  flags: IMAGE_RUN_FLAGS,
  async run({ positionals, flags }) {
    const prompt = positionals.join(' ').trim();
    if (!prompt) throw new UserError('what should it draw? tessera generate "a red star on blue" -o star.png');
    const paths = checkImageRunFlags(flags);
    const [{ loadModel }, { printResult, saveImages }] = await Promise.all([import('../load-model.ts'), import('../run-output.ts')]);
    const model = await loadModel(flags);
    const sampling = samplingOptions(flags);
    const started = performance.now();
    try {
      const saved = await saveImages(model.engine.generate({ prompt, n: flags.n, previewEvery: 0, ...sampling }), paths, 'generating');
      const seconds = Number(((performance.now() - started) / 1000).toFixed(2));
      printResult(saved, flags.json, { prompt, model: model.id, n: flags.n, settings: { ...model.engine.sampling.image, ...sampling }, seconds });
    } finally {
      await model.close();
    }
  },
});
