import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { defineCommand, UserError } from '../command.ts';
import { ProgressBar } from '../progress.ts';
import { buildShards } from '../../world/dataset/build-shards.ts';
import { WORLD_PRESETS, type WorldPreset } from '../../world/scene/world-config.ts';
import { requireName } from '../../world/world-error.ts';

export const worldBuild = defineCommand({
  name: 'world build',
  summary: 'Render captioned scenes, edits and restyles into WebDataset tar shards',
  flags: {
    samples: { type: 'number', description: 'number of samples', default: 1000 },
    seed: { type: 'number', description: 'build seed (same seed, same bytes)', default: 0 },
    size: { type: 'number', description: 'image side in pixels', default: 128 },
    out: { type: 'string', short: 'o', description: 'output folder', default: 'shards/world' },
    'per-shard': { type: 'number', description: 'samples per shard', default: 1000 },
    preset: { type: 'string', description: `world distribution: ${Object.keys(WORLD_PRESETS).join(', ')}`, default: 'full' },
    tokenizer: { type: 'string', description: 'tokenizer.json: also write token ids for every episode' },
    workers: { type: 'number', description: 'worker threads (0 = main thread)', default: availableParallelism() },
    json: { type: 'boolean', description: 'print the report as JSON', default: false },
  },
  async run({ flags }) {
    requireName('world preset', flags.preset, Object.keys(WORLD_PRESETS));
    if (!Number.isInteger(flags.samples) || flags.samples < 1) throw new UserError('--samples must be a positive integer');
    if (!Number.isInteger(flags['per-shard']) || flags['per-shard'] < 1) throw new UserError('--per-shard must be a positive integer');
    const progress = new ProgressBar('world build', flags.samples, 'samples');
    const report = await buildShards(
      {
        samples: flags.samples,
        seed: flags.seed,
        size: flags.size,
        outDir: resolve(flags.out),
        perShard: flags['per-shard'],
        preset: flags.preset as WorldPreset,
        tokenizer: flags.tokenizer ? resolve(flags.tokenizer) : undefined,
        workers: flags.workers,
      },
      (done) => progress.update(done),
    );
    progress.finish();
    if (flags.json) console.log(JSON.stringify(report));
    else console.log(`wrote ${report.samples} samples in ${report.shards} shards to ${flags.out} in ${report.seconds.toFixed(1)} s (${report.samplesPerSecond.toFixed(1)} samples/s)`);
  },
});
