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

/** Who speaks a segment. The model is trained (loss) on assistant segments only. */
export type Role = 'user' | 'assistant';

/** A run of text, as the world wrote it. */
export interface TextSegment {
  type: 'text';
  role: Role;
  text: string;
}

/** A whole image, by its field name in the sample (`img0`). */
export interface ImageSegment {
  type: 'image';
  role: Role;
  image: string;
}

export type Segment = TextSegment | ImageSegment;

/**
 * The token form of an episode, written when `world build` is given a tokenizer
 * (see src/model/episode-encoding.ts). Specials are their own `ids` pieces. Trainers concatenate the
 * pieces, expand each `image` piece to BOI + 256 codes + EOI, train on pieces with `loss`, and
 * drop pieces marked `drop` together (condition dropout, for classifier-free guidance).
 */
export type EncodedPiece =
  | { ids: number[]; loss: boolean; drop?: boolean }
  | { image: string; loss: boolean; drop?: boolean };

export interface Episode {
  task: EpisodeTask;
  segments: Segment[];
  encoded?: EncodedPiece[];
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
