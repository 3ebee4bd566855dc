import type { Box } from '../../world/scene/scene.ts';

/** A verdict drawn on the contact sheet: a box of the image, right or wrong. */
export interface Mark {
  box: Box;
  ok: boolean;
}

/** What every scorer returns for one case. */
export interface Scored {
  /** 0..1, what the category's score averages. */
  score: number;
  /** Entirely right. */
  pass: boolean;
  /** Named sub-scores (0..1, or dB for psnr); null where they do not apply. Averaged per category. */
  metrics: Record<string, number | null>;
  marks: Mark[];
  /** One line on what was read, for the contact sheet and report.json. */
  note: string;
}

export const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
