/**
 * Two models (or two settings) scored on the same World-bench cases, compared case by case over
 * their report.json files: overall and per category, the passes of each, the cases only one of
 * them passed, and the sign test on those (paired.ts). This is how a new default model is held
 * against the last one: its overall rate moves by less than its ± while the discordant cases can
 * still tell the two apart.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult } from '../run/run-case.ts';
import type { BenchReport } from '../run/run-suite.ts';
import { groupByObjectKind, type ObjectKind } from './object-kind.ts';
import { countPairs, type PairedCounts } from './paired.ts';

export class ReportError extends Error {}

/** The parts of a report the comparison reads. */
export type ComparedReport = Pick<BenchReport, 'world' | 'seed' | 'placement'> & {
  /** Where it was read from, for errors. */
  file: string;
  suites: { name: string; cases: (Pick<CaseResult, 'id' | 'category' | 'prompt' | 'pass' | 'score'> & Pick<Partial<CaseResult>, 'objectKind'>)[] }[];
};

export interface ReportComparison {
  all: PairedCounts;
  /** Per category, in the order the first side lists them. */
  categories: ({ category: string } & PairedCounts)[];
  /**
   * One-object cases per category and object kind (object-kind.ts), where either side's report
   * names the kind (the same case is the same scene: reports from before kinds pair with newer ones).
   */
  kinds: ({ category: string; kind: ObjectKind } & PairedCounts)[];
  /** Cases only one side has (other seeds, suites or limits): left out of every count. */
  unpaired: { first: number; second: number };
}

/** Reads DIR/report.json (or the file itself), refusing what is not a World-bench report. */
export function readReport(path: string): ComparedReport {
  const file = path.endsWith('.json') ? path : join(path, 'report.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ReportError(`cannot read ${file}: give a folder that tessera eval wrote`);
  }
  let report: Partial<BenchReport>;
  try {
    report = JSON.parse(text) as Partial<BenchReport>;
  } catch {
    throw new ReportError(`${file} is not JSON`);
  }
  if (report.bench !== 'world-bench' || !Array.isArray(report.suites)) throw new ReportError(`${file} is not a World-bench report`);
  return { ...(report as Omit<ComparedReport, 'file'>), file };
}

/**
 * The reports of one side: a report folder (or report.json), or a folder of report folders (a
 * sampling sweep's, one a seed), every one of them.
 */
export function readReports(path: string): ComparedReport[] {
  if (path.endsWith('.json') || existsSync(join(path, 'report.json')) || !existsSync(path)) return [readReport(path)];
  const folders = readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(path, entry.name, 'report.json')))
    .map((entry) => join(path, entry.name))
    .sort();
  if (folders.length === 0) throw new ReportError(`${path} holds no report.json, nor folders that do: give a folder that tessera eval wrote`);
  return folders.map(readReport);
}

type Case = ComparedReport['suites'][number]['cases'][number];

/**
 * A case is the same case in two runs when world, placement, seed, suite and id agree (and then so
 * must its prompt: an image→text case's question is the same at either placement, its image not).
 */
function casesByKey(reports: readonly ComparedReport[], side: string): Map<string, Case> {
  const cases = new Map<string, Case>();
  const source = new Map<string, string>();
  for (const report of reports) {
    for (const suite of report.suites) {
      for (const c of suite.cases) {
        const key = `${report.world}/${report.placement ?? 'free'}/${report.seed}/${suite.name}/${c.id}`;
        if (cases.has(key)) {
          throw new ReportError(`the ${side} side holds case ${key} twice (${source.get(key)} and ${report.file}): a side is one model and setting, each seed once`);
        }
        cases.set(key, c);
        source.set(key, report.file);
      }
    }
  }
  return cases;
}

export function compareReports(first: readonly ComparedReport[], second: readonly ComparedReport[]): ReportComparison {
  const a = casesByKey(first, 'first');
  const b = casesByKey(second, 'second');
  const pairs: [Case, Case][] = [];
  for (const [key, c] of a) {
    const other = b.get(key);
    if (!other) continue;
    // The same key with another prompt is another version of the suite: its verdicts do not pair.
    if (c.prompt !== other.prompt) throw new ReportError(`case ${key} has different prompts in the two sides ("${c.prompt}" / "${other.prompt}"): they come from different versions of the suite`);
    pairs.push([c, other]);
  }
  if (pairs.length === 0) throw new ReportError('the two sides share no case: compare reports of the same suites, world, placement and seeds');
  const categories = [...new Set(pairs.map(([c]) => c.category))];
  const kinds = groupByObjectKind(categories, pairs, ([c]) => c.category, ([c, other]) => c.objectKind ?? other.objectKind)
    .map(({ category, kind, items }) => ({ category, kind, ...countPairs(items) }));
  return {
    all: countPairs(pairs),
    categories: categories.map((category) => ({ category, ...countPairs(pairs.filter(([c]) => c.category === category)) })),
    kinds,
    unpaired: { first: a.size - pairs.length, second: b.size - pairs.length },
  };
}

const percent = (k: number, n: number) => `${((100 * k) / n).toFixed(1)} %`;
const pValue = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));
const scores = (c: PairedCounts) => (c.firstScore === null || c.secondScore === null ? 'n/a' : `${(100 * c.firstScore).toFixed(1)} → ${(100 * c.secondScore).toFixed(1)} %`);

/** A Markdown table: one row per category, then all cases. */
export function formatComparison(comparison: ReportComparison, names: { first: string; second: string }): string {
  const row = (label: string, c: PairedCounts) =>
    `| ${label} | ${c.cases} | ${c.firstPassed} (${percent(c.firstPassed, c.cases)}) | ${c.secondPassed} (${percent(c.secondPassed, c.cases)}) | +${c.onlySecond} / -${c.onlyFirst} | ${pValue(c.p)} | ${scores(c)} |`;
  const lines = [
    `first: ${names.first}`,
    `second: ${names.second}`,
    '',
    '| category | cases | first passed | second passed | second only / first only | sign test p | mean score |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...comparison.categories.map((c) => row(c.category, c)),
    row('**all**', comparison.all),
  ];
  if (comparison.kinds.length) {
    lines.push('', 'One-object cases by what they ask for:', '', '| category | object | cases | first passed | second passed | second only / first only | sign test p | mean score |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    lines.push(...comparison.kinds.map((k) => row(`${k.category} | ${k.kind}`, k)));
  }
  const { first, second } = comparison.unpaired;
  if (first || second) lines.push('', `not paired, left out: ${first} case(s) only the first side has, ${second} only the second`);
  return `${lines.join('\n')}\n`;
}
