/** Per-category and per-suite means of case results. */
import { mean } from '../score/scored.ts';
import type { CaseResult } from './run-case.ts';

export interface CategoryScore {
  category: string;
  suite: string;
  cases: number;
  /** Mean case score; null when no case had one (speed, or a reference's speed). */
  score: number | null;
  /** Standard error of that mean (sample standard deviation ÷ √cases); null under two scored cases. */
  scoreStdError: number | null;
  /** Share of cases entirely right. */
  passRate: number;
  /** Mean of each metric over the cases that have it. */
  metrics: Record<string, number | null>;
}

export function aggregate(results: readonly CaseResult[]): CategoryScore[] {
  const byCategory = new Map<string, CaseResult[]>();
  for (const r of results) byCategory.set(r.category, [...(byCategory.get(r.category) ?? []), r]);
  return [...byCategory].map(([category, rs]) => {
    const scores = rs.map((r) => r.score).filter((s): s is number => s !== null);
    const names = [...new Set(rs.flatMap((r) => Object.keys(r.metrics)))];
    const metrics = Object.fromEntries(
      names.map((name) => {
        const values = rs.map((r) => r.metrics[name]).filter((v): v is number => typeof v === 'number');
        return [name, values.length ? mean(values) : null];
      }),
    );
    return { category, suite: rs[0].suite, cases: rs.length, score: scores.length ? mean(scores) : null, scoreStdError: stdError(scores), passRate: mean(rs.map((r) => Number(r.pass))), metrics };
  });
}

/** Standard error of the mean of values: how far a rerun on as many other cases could move it. */
export function stdError(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values);
  const variance = values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance / values.length);
}

/** A suite's score: the mean of its categories' scores (each category counts the same). */
export function suiteScore(categories: readonly CategoryScore[]): number | null {
  const scores = categories.map((c) => c.score).filter((s): s is number => s !== null);
  return scores.length ? mean(scores) : null;
}

/** Fewer cases than this in any category: the suite gets no standard error. */
export const MIN_CASES_FOR_ERROR = 8;

/** The standard error of suiteScore: the categories' errors combined as independent (each category
 *  draws its own cases); null when a scored category has none. At 16 cases a category, a suite score
 *  of 8 % carries about ±3 points, so differences of a case or two between models are noise. */
export function suiteStdError(categories: readonly CategoryScore[]): number | null {
  const scored = categories.filter((c) => c.score !== null);
  // Two or three cases that happen to agree give a spread of 0, which would read as certainty.
  if (!scored.length || scored.some((c) => c.scoreStdError === null || c.cases < MIN_CASES_FOR_ERROR)) return null;
  return Math.sqrt(scored.reduce((sum, c) => sum + c.scoreStdError! ** 2, 0)) / scored.length;
}
