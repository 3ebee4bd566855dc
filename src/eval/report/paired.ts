/**
 * Two runs over the same cases, compared case by case: a case both pass or both fail says nothing
 * about which is better, so only the discordant ones count, and under "no difference" each is a
 * fair coin (the sign test, exact). Paired this way, two settings' 192 cases can tell apart what
 * their overall rates, each ± 2.5 points, cannot. `countPairs` is the one place the counting lives:
 * a sampling sweep (cases of one report run) and `tessera eval-compare` (compare-reports.ts, cases
 * of report files) only pair differently.
 */
import type { CaseResult } from '../run/run-case.ts';

export interface PairedCounts {
  /** Cases in both runs. */
  cases: number;
  firstPassed: number;
  secondPassed: number;
  /** Cases only the first run passed, and only the second. */
  onlyFirst: number;
  onlySecond: number;
  /** Two-sided exact sign test on the discordant cases (1 when there are none). */
  p: number;
  /**
   * Mean case score of each run over the cases both score (partial credit: a grid's cells right,
   * an edit's kept cells), which moves where passes are rare; null where no case has a score.
   */
  firstScore: number | null;
  secondScore: number | null;
}

/** What a case contributes to the counts. */
export type Verdict = Pick<CaseResult, 'pass' | 'score'>;

/** Counts already paired cases: [first run's verdict, second run's verdict] per case. */
export function countPairs(pairs: readonly (readonly [Verdict, Verdict])[]): PairedCounts {
  let firstPassed = 0;
  let secondPassed = 0;
  let onlyFirst = 0;
  let onlySecond = 0;
  for (const [a, b] of pairs) {
    firstPassed += Number(a.pass);
    secondPassed += Number(b.pass);
    onlyFirst += Number(a.pass && !b.pass);
    onlySecond += Number(!a.pass && b.pass);
  }
  const scored = pairs.filter(([a, b]) => a.score !== null && b.score !== null);
  const mean = (side: 0 | 1) => (scored.length ? scored.reduce((sum, pair) => sum + pair[side].score!, 0) / scored.length : null);
  return { cases: pairs.length, firstPassed, secondPassed, onlyFirst, onlySecond, p: signTest(onlyFirst, onlySecond), firstScore: mean(0), secondScore: mean(1) };
}

type IdentifiedVerdict = Verdict & Pick<CaseResult, 'id' | 'suite'>;

/** Two runs' cases (ids unique within a run), paired by suite and id; cases only one run has are left out. */
export function comparePaired(first: readonly IdentifiedVerdict[], second: readonly IdentifiedVerdict[]): PairedCounts {
  const key = (c: IdentifiedVerdict) => `${c.suite}/${c.id}`;
  const byKey = new Map(second.map((c) => [key(c), c]));
  const pairs: [Verdict, Verdict][] = [];
  for (const c of first) {
    const other = byKey.get(key(c));
    if (other) pairs.push([c, other]);
  }
  if (pairs.length === 0) throw new Error('the two runs share no case: compare runs of the same suite, seed and limit');
  return countPairs(pairs);
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
