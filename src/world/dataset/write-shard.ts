import { SceneSampler } from '../scene/sampler.ts';
import { WORLD_PRESETS } from '../scene/world-config.ts';
import type { EpisodeEncoder } from '../episodes/build-episodes.ts';
import { buildSample } from './sample-builder.ts';
import type { BuildOptions } from './build-options.ts';
import type { ShardJob } from './shard-plan.ts';
import { TarWriter } from './tar-writer.ts';

/** Builds every sample of one shard and writes the tar. */
export async function writeShard(job: ShardJob, options: BuildOptions, encoder?: EpisodeEncoder, onSample?: () => void): Promise<void> {
  const config = typeof options.preset === 'string' ? WORLD_PRESETS[options.preset] : options.preset;
  const sampler = new SceneSampler(config);
  const tar = new TarWriter(job.path);
  try {
    for (let index = job.start; index < job.end; index++) {
      const built = await buildSample(sampler, config, options.seed, index, encoder, options.size);
      for (const [field, bytes] of built.files) tar.add(`${built.key}.${field}`, bytes);
      onSample?.();
    }
  } finally {
    tar.close();
  }
}
