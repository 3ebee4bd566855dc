import { Random, sampleSeed } from '../random.ts';
import { SceneSampler } from '../scene/sampler.ts';
import { WORLD_PRESETS, type WorldPreset } from '../scene/world-config.ts';
import { buildEpisodes } from '../episodes/build-episodes.ts';

/**
 * Every text the world would write for samples [0, n): captions and the text of every episode.
 * The same draws as `world build` (same seeds), without rendering a pixel, for training the BPE.
 */
export function* worldTexts(preset: WorldPreset, seed: number, n: number): Generator<string> {
  const config = WORLD_PRESETS[preset];
  const sampler = new SceneSampler(config);
  for (let index = 0; index < n; index++) {
    const rng = new Random(sampleSeed(seed, index));
    const scene = sampler.scene(rng.fork(1));
    const { captions, episodes } = buildEpisodes(rng.fork(2), sampler, config, scene);
    for (const caption of captions) yield caption.text;
    for (const episode of episodes) for (const s of episode.segments) if (s.type === 'text') yield s.text;
  }
}
