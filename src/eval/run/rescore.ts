/**
 * Re-scores a World-bench report with today's verifier, from the codes its text→image cases kept:
 * the cases are drawn again from the report's suites, seed, limit and world (they are fixed by
 * those), each kept image is decoded by the VQ and read again. No model runs, so a verifier change
 * is measured on a session's reports in minutes, and old and new reports compare like for like.
 * Cases without codes (edits, questions, reports before session 28) keep their scores.
 *
 * @example
 *   const { report, runs } = await rescoreReport(JSON.parse(readFileSync('out/eval/x/report.json', 'utf8')), verifier, codec);
 */
import type { ImageCodec } from '../../engine/image-codec.ts';
import { WORLD_PRESETS } from '../../world/scene/world-config.ts';
import { PLACEMENTS, scopeOf } from '../suites/eval-world.ts';
import { suiteCases, SUITES } from '../suites/registry.ts';
import type { Verifier } from '../verifier/verifier.ts';
import { aggregate, suiteScore, suiteStdError } from './aggregate.ts';
import { codesFromText } from './codes-text.ts';
import { promptOf, scoreGenerated, type CaseRun } from './run-case.ts';
import type { BenchReport, SuiteReport } from './run-suite.ts';

export class RescoreError extends Error {}

export interface Rescored {
  report: BenchReport;
  /** Per suite, the runs the contact sheets draw (the images of re-scored cases). */
  runs: Map<string, CaseRun[]>;
  /** Cases read again from their codes. */
  rescored: number;
  /** Cases that kept their scores: no codes to read. */
  kept: number;
}

export async function rescoreReport(report: BenchReport, verifier: Verifier, codec: ImageCodec): Promise<Rescored> {
  if (report.bench !== 'world-bench') throw new RescoreError('not a World-bench report');
  const preset = WORLD_PRESETS[report.world];
  if (!preset) throw new RescoreError(`the report's world "${report.world}" is not one this version knows`);
  const reader = await verifier.forImages(report.images);
  const placement = report.placement ?? 'free';
  if (!PLACEMENTS.includes(placement)) throw new RescoreError(`the report's placement "${String(placement)}" is not one this version knows`);
  const scope = scopeOf(preset, placement);
  let rescored = 0;
  let kept = 0;
  const runs = new Map<string, CaseRun[]>();
  const suites: SuiteReport[] = [];
  for (const suiteReport of report.suites) {
    const withCodes = suiteReport.cases.filter((r) => r.codes);
    const suite = SUITES.find((s) => s.name === suiteReport.name);
    if (withCodes.length > 0 && !suite) throw new RescoreError(`the report's suite "${suiteReport.name}" is not one this version knows`);
    const cases = new Map(withCodes.length > 0 ? suiteCases(suite!, report.seed, report.limit ?? undefined, scope).map((c) => [c.id, c]) : []);
    const done: CaseRun[] = [];
    for (const result of suiteReport.cases) {
      if (!result.codes) {
        done.push({ result, marks: [] });
        kept++;
        continue;
      }
      const c = cases.get(result.id);
      if (!c) throw new RescoreError(`case ${result.id} is not among the cases of ${suiteReport.name} at seed ${report.seed}, limit ${report.limit}: was the report written by another version?`);
      if (c.task !== 't2i' || promptOf(c) !== result.prompt) throw new RescoreError(`case ${result.id} is drawn differently now ("${promptOf(c)}", the report says "${result.prompt}"): the world or suite changed since`);
      const image = await codec.decode(readCodes(result.id, result.codes));
      const scored = scoreGenerated(reader, image, c);
      done.push({ result: { ...result, score: scored.score, pass: scored.pass, metrics: scored.metrics, note: scored.note }, image, marks: scored.marks });
      rescored++;
    }
    const categories = aggregate(done.map((r) => r.result));
    suites.push({ ...suiteReport, score: suiteScore(categories), scoreStdError: suiteStdError(categories), categories, cases: done.map((r) => r.result) });
    runs.set(suiteReport.name, done);
  }
  return { report: { ...report, date: new Date().toISOString(), suites }, runs, rescored, kept };
}

function readCodes(id: string, text: string): Uint16Array {
  try {
    return codesFromText(text);
  } catch (error) {
    throw new RescoreError(`case ${id}: ${(error as Error).message}`);
  }
}
