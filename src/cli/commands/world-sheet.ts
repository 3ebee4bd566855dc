import { writeFileSync } from 'node:fs';
import { loadImage } from '@napi-rs/canvas';
import { defineCommand, UserError } from '../command.ts';
import { SceneSampler } from '../../world/scene/sampler.ts';
import { WORLD_PRESETS, type WorldPreset } from '../../world/scene/world-config.ts';
import { buildSample } from '../../world/dataset/sample-builder.ts';
import { contactSheet, type SheetCell } from '../../world/sheet/contact-sheet.ts';
import { requireName } from '../../world/world-error.ts';

export const worldSheet = defineCommand({
  name: 'world sheet',
  summary: 'Draw a captioned contact sheet of world samples',
  flags: {
    n: { type: 'number', description: 'number of samples', default: 16 },
    seed: { type: 'number', description: 'build seed', default: 0 },
    preset: { type: 'string', description: `world distribution: ${Object.keys(WORLD_PRESETS).join(', ')}`, default: 'full' },
    episodes: { type: 'boolean', description: 'also show every episode image with its instruction', default: false },
    out: { type: 'string', short: 'o', description: 'output PNG', default: 'sheet.png' },
  },
  async run({ flags }) {
    requireName('world preset', flags.preset, Object.keys(WORLD_PRESETS));
    if (!Number.isInteger(flags.n) || flags.n < 1 || flags.n > 256) throw new UserError('--n must be an integer from 1 to 256');
    const config = WORLD_PRESETS[flags.preset as WorldPreset];
    const sampler = new SceneSampler(config);
    const cells: SheetCell[] = [];
    for (let i = 0; i < flags.n; i++) {
      const built = await buildSample(sampler, config, flags.seed, i);
      const images = new Map(await Promise.all(built.files.filter(([f]) => f.endsWith('.png')).map(async ([f, b]) => [f.replace('.png', ''), await loadImage(b)] as const)));
      cells.push({ image: images.get('img0')!, lines: built.sample.captions.map((c) => `[${c.locale}] ${c.text}`) });
      if (!flags.episodes) continue;
      for (const episode of built.sample.episodes) {
        const text = episode.segments.filter((s) => s.type === 'text').map((s) => (s.type === 'text' ? `${s.role}: ${s.text}` : ''));
        const lastImage = [...episode.segments].reverse().find((s) => s.type === 'image');
        if (lastImage && lastImage.type === 'image') cells.push({ image: images.get(lastImage.image)!, lines: [`(${episode.task})`, ...text] });
      }
    }
    writeFileSync(flags.out, contactSheet(cells).toBuffer('image/png'));
    console.log(`wrote ${flags.out} (${cells.length} cells)`);
  },
});
