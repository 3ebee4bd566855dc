/**
 * Runs suites against a subject and scores them: the library entry point of World-bench.
 *
 * @example
 *   const verifier = await Verifier.create();
 *   const report = await runBench({ suites: suitesNamed('geneval')!, subject: referenceSubject('groundtruth'), verifier });
 *   await writeBench(report, runs, 'out/eval');
 */
import type { SamplingSettings } from '../../engine/options.ts';
import type { Suite } from '../suites/eval-case.ts';
import { EVAL_SEED, type Placement, scopeOf } from '../suites/eval-world.ts';
import { WORLD_PRESETS, type WorldPreset } from '../../world/scene/world-config.ts';
import { suiteCases } from '../suites/registry.ts';
import type { Verifier } from '../verifier/verifier.ts';
import { aggregate, suiteScore, suiteStdError, type CategoryScore } from './aggregate.ts';
import { runCase, type CaseResult, type CaseRun } from './run-case.ts';
import type { Subject } from './subject.ts';

export interface BenchOptions {
  suites: Suite[];
  subject: Subject;
  /** Any verifier: it is told what the subject's images are (clean or degraded) here. */
  verifier: Verifier;
  /** Base seed of the cases (default EVAL_SEED). */
  seed?: number;
  /** Cases per suite (default: all). */
  limit?: number;
  /** The world preset whose concepts and styles the cases draw from (default full). */
  world?: WorldPreset;
  /** Where the cases' objects stand (default free: anywhere). */
  placement?: Placement;
  log?: (line: string) => void;
}

export interface SuiteReport {
  name: string;
  summary: string;
  score: number | null;
  /** Standard error of score (suiteStdError); null for unscored suites. */
  scoreStdError: number | null;
  categories: CategoryScore[];
  cases: CaseResult[];
}

export interface BenchReport {
  bench: 'world-bench';
  version: 1;
  subject: string;
  images: Subject['images'];
  seed: number;
  limit: number | null;
  /** Image sampling settings the images were made with: the model's defaults, over them those given (null: a reference). */
  sampling: Partial<SamplingSettings> | null;
  /** Edit sampling settings the edits were made with (null: a reference; absent before session 29). */
  editSampling?: Partial<SamplingSettings> | null;
  /** Text→image candidates per case, the best-ranked kept (1: the model's one sample). */
  bestOf: number;
  /** The world preset whose concepts and styles the cases drew from. */
  world: WorldPreset;
  /** Where the cases' objects stood (absent before session 29: free). */
  placement?: Placement;
  date: string;
  seconds: number;
  suites: SuiteReport[];
  /** Set by `tessera eval-rescore`: the report whose kept codes this one read again (rescore.ts). */
  rescoredFrom?: string;
}

/** The report, and per suite the runs (with images) that the contact sheets draw. */
export async function runBench(options: BenchOptions): Promise<{ report: BenchReport; runs: Map<string, CaseRun[]> }> {
  const { subject, log = () => {} } = options;
  const seed = options.seed ?? EVAL_SEED;
  const world = options.world ?? 'full';
  const placement = options.placement ?? 'free';
  const scope = scopeOf(WORLD_PRESETS[world], placement);
  const verifier = await options.verifier.forImages(subject.images);
  const started = performance.now();
  const suites: SuiteReport[] = [];
  const runs = new Map<string, CaseRun[]>();
  for (const suite of options.suites) {
    const cases = suiteCases(suite, seed, options.limit, scope);
    const done: CaseRun[] = [];
    const t0 = performance.now();
    for (const c of cases) {
      const run = await runCase(c, subject, verifier);
      done.push(run);
      if (run.result.error) log(`  ${c.id}: ${run.result.note}`);
    }
    const categories = aggregate(done.map((r) => r.result));
    const score = suiteScore(categories);
    const scoreStdError = suiteStdError(categories);
    suites.push({ name: suite.name, summary: suite.summary, score, scoreStdError, categories, cases: done.map((r) => r.result) });
    runs.set(suite.name, done);
    log(`${suite.name}: ${cases.length} cases, score ${score === null ? 'n/a' : `${(score * 100).toFixed(1)}%`}${scoreStdError === null ? '' : ` ± ${(scoreStdError * 100).toFixed(1)}`} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const report: BenchReport = {
    bench: 'world-bench',
    version: 1,
    subject: subject.name,
    images: subject.images,
    seed,
    limit: options.limit ?? null,
    sampling: subject.sampling ?? null,
    editSampling: subject.editSampling ?? null,
    bestOf: subject.bestOf ?? 1,
    world,
    placement,
    date: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
    suites,
  };
  return { report, runs };
}
