/**
 * Speed: ms per image and image tokens/s, measured as bench/engine.ts measures them (same prompt and
 * settings, one warm-up call, the median of `repeats`), N = 1 and N = 4. Only a model has a speed:
 * the reference subjects skip these cases.
 */
import type { SpeedCase, Suite } from './eval-case.ts';

/** bench/engine.ts's prompt and seed. */
export const SPEED_PROMPT = 'two red stars on a blue background';

export function speedCases(repeats: number, ns: number[] = [1, 4]): SpeedCase[] {
  return ns.map((n) => ({ id: `speed/n${n}`, suite: 'speed', category: `speed/n${n}`, task: 'speed', seed: 1, prompt: SPEED_PROMPT, n, repeats }));
}

export const speed: Suite = {
  name: 'speed',
  summary: 'Speed: ms per image and image tokens/s with guidance, N=1 and N=4',
  cases: () => speedCases(3),
};
