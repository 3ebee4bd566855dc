/**
 * `quality` buys sampling effort, not pixels: the model always paints its native size, so a higher
 * quality samples more candidates per returned image in the same batch and keeps the ones the
 * model's own image->text likelihood ranks best (best-of-N, src/engine/best-of-n.ts).
 *
 *   low                      1 candidate per image   (no ranking: the fastest)
 *   medium, standard, auto   2 candidates per image
 *   high, hd                 4 candidates per image
 *
 * n = 10 at high is 40 candidates, within the engine's batch of 64. Cost grows about linearly with
 * candidates on a CPU.
 */
export type RequestedQuality = 'auto' | 'low' | 'medium' | 'high' | 'standard' | 'hd';
export type Quality = 'low' | 'medium' | 'high';

export const CANDIDATES_PER_IMAGE: Record<Quality, number> = { low: 1, medium: 2, high: 4 };

const RESOLVED: Record<RequestedQuality, Quality> = { auto: 'medium', standard: 'medium', hd: 'high', low: 'low', medium: 'medium', high: 'high' };

/** The quality a request gets (what the response reports) and its candidates per image. */
export function resolveQuality(requested: RequestedQuality = 'auto'): { quality: Quality; candidates: number } {
  const quality = RESOLVED[requested];
  return { quality, candidates: CANDIDATES_PER_IMAGE[quality] };
}
