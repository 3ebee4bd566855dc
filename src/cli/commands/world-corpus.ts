import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { defineCommand, UserError } from '../command.ts';
import { ProgressBar } from '../progress.ts';
import { worldTexts } from '../../world/dataset/text-corpus.ts';
import { WORLD_PRESETS, type WorldPreset } from '../../world/scene/world-config.ts';
import { requireName } from '../../world/world-error.ts';

export const worldCorpus = defineCommand({
  name: 'world corpus',
  summary: 'Write the text of world samples (captions, instructions, answers), one per line, for tokenizer training',
  flags: {
    samples: { type: 'number', description: 'number of samples', default: 50000 },
    seed: { type: 'number', description: 'build seed', default: 0 },
    preset: { type: 'string', description: `world distribution: ${Object.keys(WORLD_PRESETS).join(', ')}`, default: 'full' },
    out: { type: 'string', short: 'o', description: 'output .txt file', default: 'corpus.txt' },
  },
  async run({ flags }) {
    requireName('world preset', flags.preset, Object.keys(WORLD_PRESETS));
    if (!Number.isInteger(flags.samples) || flags.samples < 1) throw new UserError('--samples must be a positive integer');
    const out = createWriteStream(flags.out);
    const progress = new ProgressBar('world corpus', flags.samples, 'samples');
    let lines = 0;
    let i = 0;
    for (const text of worldTexts(flags.preset as WorldPreset, flags.seed, flags.samples)) {
      // One document per line: newlines inside a text would split it.
      if (!out.write(`${text.replace(/\n/g, ' ')}\n`)) await once(out, 'drain');
      if (++lines % 5 === 0) progress.update(Math.min(flags.samples, ++i));
    }
    out.end();
    await once(out, 'finish');
    progress.finish();
    console.log(`wrote ${lines} lines to ${flags.out}`);
  },
});
