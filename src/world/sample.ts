/**
 * The contract between the world and every trainer: one WebDataset sample.
 *
 * A shard is a plain tar file `shard-000000.tar`. A sample is the group of tar members sharing a key
 * (the part of the member name before the first dot):
 *   `<key>.img0.png`, `<key>.img1.png`, ...  128×128 RGB PNG images (img0 is always the scene itself)
 *   `<key>.json`                              a `WorldSample` (below), UTF-8 JSON
 */
import type { Scene } from './scene/scene.ts';

/** Which model skill an episode trains. */
export type EpisodeTask = 't2i' | 'i2t' | 'edit' | 'restyle' | 'multiturn';

/** A run of text. `ids` are joint-vocabulary ids, specials included, present once a tokenizer was given. */
export interface TextSegment {
  type: 'text';
  text: string;
  ids?: number[];
  /** True when the model is trained to produce this segment. */
  loss: boolean;
}

/** A whole image, by its field name in the sample (`img0`). Trainers expand it to BOI + 256 codes + EOI. */
export interface ImageSegment {
  type: 'image';
  image: string;
  loss: boolean;
}

export type Segment = TextSegment | ImageSegment;

export interface Episode {
  task: EpisodeTask;
  segments: Segment[];
}

export interface Caption {
  text: string;
  locale: string;
  /** 'short' names the content; 'long' lists it (the numbered-list style for grids). */
  length: 'short' | 'long';
}

export interface WorldSample {
  key: string;
  /** Ground truth for every image in the sample, by field name. */
  scenes: Record<string, Scene>;
  captions: Caption[];
  episodes: Episode[];
}
