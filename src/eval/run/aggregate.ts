/** Per-category and per-suite means of case results. */
import { mean } from '../score/scored.ts';
import type { CaseResult } from './run-case.ts';

export interface CategoryScore {
  category: string;
  suite: string;
  cases: number;
  /** Mean case score; null when no case had one (speed, or a reference's speed). */
  score: number | null;
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
    return { category, suite: rs[0].suite, cases: rs.length, score: scores.length ? mean(scores) : null, passRate: mean(rs.map((r) => Number(r.pass))), metrics };
  });
}

/** A suite's score: the mean of its categories' scores (each category counts the same). */
export function suiteScore(categories: readonly CategoryScore[]): number | null {
  const scores = categories.map((c) => c.score).filter((s): s is number => s !== null);
  return scores.length ? mean(scores) : null;
}
