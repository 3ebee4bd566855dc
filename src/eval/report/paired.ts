/**
 * Two runs over the same cases, compared case by case: a case both pass or both fail says nothing
 * about which is better, so only the discordant ones count, and under "no difference" each is a
 * fair coin (the sign test, exact). Paired this way, two settings' 192 cases can tell apart what
 * their overall rates, each ± 2.5 points, cannot.
 */
import type { CaseResult } from '../run/run-case.ts';

export interface PairedComparison {
  /** Cases in both runs. */
  cases: number;
  /** Cases only the first run passed, and only the second. */
  onlyFirst: number;
  onlySecond: number;
  /** Two-sided exact sign test on the discordant cases (1 when there are none). */
  p: number;
}

type Verdict = Pick<CaseResult, 'id' | 'suite' | 'pass'>;

export function comparePaired(first: readonly Verdict[], second: readonly Verdict[]): PairedComparison {
  const key = (c: Verdict) => `${c.suite}/${c.id}`;
  const passed = new Map(second.map((c) => [key(c), c.pass]));
  let cases = 0;
  let onlyFirst = 0;
  let onlySecond = 0;
  for (const c of first) {
    const other = passed.get(key(c));
    if (other === undefined) continue;
    cases++;
    if (c.pass && !other) onlyFirst++;
    if (!c.pass && other) onlySecond++;
  }
  if (cases === 0) throw new Error('the two runs share no case: compare runs of the same suite, seed and limit');
  return { cases, onlyFirst, onlySecond, p: signTest(onlyFirst, onlySecond) };
}

/** P(a split at least this uneven) for a + b fair coin flips, both tails. */
export function signTest(a: number, b: number): number {
  const n = a + b;
  const k = Math.min(a, b);
  // Sums C(n, i) by the ratio (n - i + 1) / i, scaled down by 2^-512 whenever it grows large, and
  // divides by 2^n only at the end: 2 ** -n alone underflows to 0 past n = 1074 discordant cases.
  let tail = 0;
  let term = 1;
  let halvings = n;
  for (let i = 0; i <= k; i++) {
    if (i > 0) term *= (n - i + 1) / i;
    tail += term;
    if (term > 2 ** 512) [term, tail, halvings] = [term * 2 ** -512, tail * 2 ** -512, halvings - 512];
  }
  return Math.min(1, 2 * 2 ** (Math.log2(tail) - halvings));
}
