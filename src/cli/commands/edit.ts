import { defineCommand, UserError } from '../command.ts';
import { checkImageRunFlags, IMAGE_RUN_FLAGS, samplingOptions } from '../engine-flags.ts';

export default defineCommand({
  name: 'edit',
  summary: 'Image + instruction -> edited images; with --mask only its transparent region changes',
  usage: '<image> "<instruction>"',
  flags: {
    mask: { type: 'string', description: 'PNG whose fully transparent pixels (alpha 0) mark the region to edit; the rest stays token-identical' },
    ...IMAGE_RUN_FLAGS,
  },
  async run({ positionals, flags }) {
    const [input, ...words] = positionals;
    const instruction = words.join(' ').trim();
    if (!input || !instruction) throw new UserError('which image, and what to change? tessera edit in.png "make the star red" [--mask m.png] -o out.png');
    const paths = checkImageRunFlags(flags);
    const [{ decodeImageFile, readFileBytes }, { loadModel }, { printResult, saveImages }] = await Promise.all([import('../image-files.ts'), import('../load-model.ts'), import('../run-output.ts')]);
    const imageBytes = await readFileBytes(input);
    const maskBytes = flags.mask === undefined ? undefined : await readFileBytes(flags.mask);
    const model = await loadModel(flags);
    const sampling = samplingOptions(flags);
    try {
      const image = await decodeImageFile(imageBytes, input, 'image', model.imageSize);
      const mask = maskBytes && (await decodeImageFile(maskBytes, flags.mask!, 'mask', model.imageSize));
      const run = model.engine.edit({ image, instruction, ...(mask ? { mask } : {}), n: flags.n, previewEvery: 0, ...sampling });
      const saved = await saveImages(run, paths, 'editing');
      printResult(saved, flags.json, { image: input, instruction, mask: flags.mask ?? null, model: model.id, n: flags.n, settings: { ...model.engine.sampling.edit, ...sampling } });
    } finally {
      await model.close();
    }
  },
});
