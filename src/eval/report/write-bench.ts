/** Writes a run's outputs: report.json, summary.md, sheet-<suite>.png per suite, scores.png. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRun } from '../run/run-case.ts';
import type { BenchReport } from '../run/run-suite.ts';
import { suiteSheet } from './contact-sheet.ts';
import { scorePlot } from './score-plot.ts';
import { summaryMarkdown } from './summary.ts';

export function writeBench(report: BenchReport, runs: ReadonlyMap<string, readonly CaseRun[]>, out: string, command?: string): string[] {
  mkdirSync(out, { recursive: true });
  const files: [string, string | Buffer][] = [
    ['report.json', `${JSON.stringify({ ...report, ...(command ? { command } : {}) }, null, 2)}\n`],
    ['summary.md', summaryMarkdown(report, command)],
  ];
  for (const [suite, suiteRuns] of runs) if (suiteRuns.some((r) => r.image)) files.push([`sheet-${suite}.png`, suiteSheet(suiteRuns).toBuffer('image/png')]);
  if (report.suites.some((s) => s.categories.some((c) => c.score !== null))) files.push(['scores.png', scorePlot(report).toBuffer('image/png')]);
  for (const [name, data] of files) writeFileSync(join(out, name), data);
  return files.map(([name]) => join(out, name));
}
