import { renderPng } from '../render/renderer.ts';
import { Random, sampleSeed } from '../random.ts';
import type { Scene } from '../scene/scene.ts';
import { SceneSampler } from '../scene/sampler.ts';
import type { WorldConfig } from '../scene/world-config.ts';
import type { WorldSample } from '../sample.ts';
import { buildEpisodes, type EpisodeEncoder } from '../episodes/build-episodes.ts';

export interface BuiltSample {
  key: string;
  /** Tar member name suffix (after the key) → bytes. */
  files: [string, Buffer][];
  sample: WorldSample;
}

export function sampleKey(index: number): string {
  return `s${String(index).padStart(9, '0')}`;
}

/**
 * One sample: a scene, its captions, its episodes and every image they reference. Deterministic
 * in (seed, index), independent of which worker or shard builds it.
 */
export async function buildSample(sampler: SceneSampler, config: WorldConfig, seed: number, index: number, encoder?: EpisodeEncoder, size = 128): Promise<BuiltSample> {
  const rng = new Random(sampleSeed(seed, index));
  const scene = sampler.scene(rng.fork(1), size);
  const { captions, episodes, scenes } = buildEpisodes(rng.fork(2), sampler, config, scene, encoder);
  const key = sampleKey(index);
  const allScenes: Record<string, Scene> = { img0: scene, ...scenes };
  const files: [string, Buffer][] = [];
  for (const [field, s] of Object.entries(allScenes)) files.push([`${field}.png`, await renderPng(s)]);
  const sample: WorldSample = { key, scenes: allScenes, captions, episodes };
  files.push(['json', Buffer.from(JSON.stringify(sample))]);
  return { key, files, sample };
}
