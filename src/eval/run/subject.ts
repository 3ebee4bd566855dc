/**
 * What is evaluated: a model through the engine, or a reference that answers from the world's ground
 * truth. Every suite runs against this one interface, so references and models are scored alike.
 */
import type { RgbaImage } from '../../engine/events.ts';
import type { SamplingSettings } from '../../engine/options.ts';
import type { CharacterCase, EditCase, ImageCase, RestyleCase, SpeedCase, UnderstandCase } from '../suites/eval-case.ts';

export interface SubjectImage {
  rgba: RgbaImage;
  /** The 16×16 codes behind the image, when the subject works in codes. */
  codes?: Uint16Array;
}

export interface SpeedResult {
  msPerImage: number;
  tokensPerSecond: number;
}

export interface Subject {
  /** As reports name it: `groundtruth`, `vq`, or the model folder. */
  name: string;
  /** What its images are, for the verifier: clean renders, or codec outputs (blurred). */
  images: 'clean' | 'degraded';
  /** Image sampling settings that differ from the engine's defaults (models only), for the report. */
  sampling?: Partial<SamplingSettings>;
  /** Edit sampling settings (models only): the model's edit defaults, over them those given. */
  editSampling?: Partial<SamplingSettings>;
  /** Text→image candidates per case, the model's best-ranked kept (models only; absent or 1: one sample). */
  bestOf?: number;
  generate(c: ImageCase): Promise<SubjectImage>;
  /** `source` is the world's render of the source scene, as a user would pass it. */
  edit(c: EditCase | RestyleCase, source: RgbaImage): Promise<SubjectImage>;
  /** The source's codes as this subject tokenizes images (for token identity), when it does. */
  encode?(image: RgbaImage): Promise<Uint16Array>;
  describe(c: UnderstandCase, image: RgbaImage): Promise<string>;
  /** One image per user turn, each turn seeing the conversation so far. */
  converse(c: CharacterCase): Promise<SubjectImage[]>;
  /** Absent for references: only a model has a speed. */
  speed?(c: SpeedCase): Promise<SpeedResult>;
  close(): Promise<void>;
}
