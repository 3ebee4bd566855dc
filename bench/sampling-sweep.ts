/**
 * Tunes a model's image sampling on world-bench cases (not a test):
 *   node --import tsx bench/sampling-sweep.ts --settings "default;cfg=2;cfg=2,temperature=0.6" \
 *     [--suite geneval] [--world starter] [--placement free|grid] [--seeds 7000,7100] [--limit 96] [--model models/default] [--out out/sampling-sweep]
 * Every setting runs the same cases (the same case seeds) through `tessera eval`'s runner, one report
 * folder per setting and seed (kept: a rerun reuses the reports whose settings match and that are
 * newer than the model's lm.onnx, so a sweep can be stopped and resumed). It prints passes per category and overall, the mean case score, and each setting against
 * the first, case by case: the cases only one of them passed and the sign test on those
 * (src/eval/report/paired.ts). `default` is the model's own defaults (its sampling.json, else the
 * engine's); a setting is `key=value` pairs of cfg, temperature, topK, topP.
 *
 * Tune on other case seeds than those you report (src/eval/README.md): the winner of a sweep is
 * flattered by the seeds that picked it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../src/cli/args.ts';
import { readModelDir } from '../src/engine/model-files.ts';
import { MODEL_SAMPLING_KEYS as KEYS } from '../src/engine/model-sampling.ts';
import type { SamplingSettings } from '../src/engine/options.ts';
import { comparePaired } from '../src/eval/report/paired.ts';
import type { CaseResult } from '../src/eval/run/run-case.ts';
import { recordedSampling } from '../src/eval/run/engine-subject.ts';
import { openEval, type OpenedEval, runEvalOn } from '../src/eval/run/run-eval.ts';
import { type Placement, PLACEMENTS } from '../src/eval/suites/eval-world.ts';
import { suiteNames } from '../src/eval/suites/registry.ts';
import type { BenchReport } from '../src/eval/run/run-suite.ts';
import { WORLD_PRESETS, type WorldPreset } from '../src/world/scene/world-config.ts';

const { flags } = parseArgs(process.argv.slice(2), {
  settings: { type: 'string', default: 'default;cfg=2;temperature=0.8', description: "';'-separated settings, each 'default' or key=value pairs joined by ','" },
  suite: { type: 'string', default: 'geneval', description: 'world-bench suite' },
  world: { type: 'string', default: 'starter', description: 'world preset the cases draw from' },
  placement: { type: 'string', default: 'free', description: "where the cases' objects stand: free or grid (the VQ's code grid)" },
  seeds: { type: 'string', default: '7000,7100', description: 'comma-separated case seeds' },
  limit: { type: 'number', default: 96, description: 'cases per seed' },
  model: { type: 'string', default: 'models/default', description: 'model folder' },
  out: { type: 'string', default: 'out/sampling-sweep', description: 'report folders go here' },
});

type Setting = { label: string; sampling: Partial<Omit<SamplingSettings, 'seed'>> };

function parseSetting(text: string): Setting {
  const label = text.trim();
  if (label === 'default') return { label, sampling: {} };
  const sampling: Record<string, number> = {};
  for (const pair of label.split(',')) {
    const [key, value] = pair.split('=').map((s) => s.trim());
    if (!(KEYS as readonly string[]).includes(key)) throw new Error(`setting "${label}": unknown key "${key}" (known: ${KEYS.join(', ')})`);
    if (!Number.isFinite(Number(value)) || value === '') throw new Error(`setting "${label}": ${key} needs a number, got "${value}"`);
    sampling[key] = Number(value);
  }
  return { label, sampling };
}

const settings = flags.settings.split(';').filter((s) => s.trim()).map(parseSetting);
const seeds = flags.seeds.split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds must be non-negative integers, got ${flags.seeds}`);
if (!(flags.world in WORLD_PRESETS)) throw new Error(`--world: unknown preset ${flags.world}`);
if (!(PLACEMENTS as readonly string[]).includes(flags.placement)) throw new Error(`--placement must be one of ${PLACEMENTS.join(', ')}, got ${flags.placement}`);
const placement = flags.placement as Placement;
if (!suiteNames().includes(flags.suite)) throw new Error(`--suite: unknown suite ${flags.suite} (suites: ${suiteNames().join(', ')})`);

const modelFiles = await readModelDir(flags.model);
// Suites of edits (a restyle is an edit) sample with the model's edit defaults, and their reports record those.
const editSuite = ['edit', 'edit-locked', 'restyle'].includes(flags.suite);
const modelDefaults = editSuite ? modelFiles.sampling.edit : modelFiles.sampling.image;
// Reports made before the model's graph was last written came from other weights: they are run again.
const modelWritten = statSync(modelFiles.lm).mtimeMs;

// The model and the verifier load once, when a report has to be run, and serve every setting and seed.
let opened: OpenedEval | undefined;
const evalFlags = { suite: flags.suite, model: flags.model, limit: flags.limit, bank: 'full' as const, world: flags.world as WorldPreset, placement };

/** One setting's cases over every seed, ids made unique by the seed. */
async function casesOf(setting: Setting): Promise<CaseResult[]> {
  const cases: CaseResult[] = [];
  // A kept report is reused only if it recorded what this setting would record now.
  const effective = recordedSampling(modelDefaults, setting.sampling);
  for (const seed of seeds) {
    const out = join(flags.out, `${setting.label.replace(/[^\w.=-]+/g, '_')}-${flags.suite}-${flags.world}${placement === 'grid' ? '-grid' : ''}-${seed}`);
    let report = existsSync(join(out, 'report.json')) ? (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as BenchReport) : undefined;
    const recorded = editSuite ? report?.editSampling : report?.sampling;
    const same = report && report.limit === flags.limit && report.seed === seed && (report.placement ?? 'free') === placement && Date.parse(report.date) >= modelWritten && KEYS.every((k) => recorded?.[k] === effective[k]);
    if (!same) {
      opened ??= await openEval({ ...evalFlags, seed });
      report = (await runEvalOn(opened, { ...evalFlags, seed, sampling: setting.sampling, out })).report;
    }
    for (const suite of report!.suites) for (const c of suite.cases) cases.push({ ...c, id: `${seed}/${c.id}` });
  }
  return cases;
}

const results: { setting: Setting; cases: CaseResult[] }[] = [];
try {
  for (const setting of settings) results.push({ setting, cases: await casesOf(setting) });
} finally {
  await opened?.release();
}

/** Partial credit (a dense grid's cells right, an edit's kept cells) shows where passes are rare; shown in () where it differs. */
function meanScore(cases: CaseResult[]): number | null {
  const scored = cases.filter((c) => c.score !== null);
  return scored.length ? scored.reduce((sum, c) => sum + c.score!, 0) / scored.length : null;
}

const categories = [...new Set(results[0].cases.map((c) => c.category))];
const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(1)}`;
const rows = results.map(({ setting, cases }) => {
  const n = cases.length;
  const passed = cases.filter((c) => c.pass).length;
  const se = Math.sqrt((passed / n) * (1 - passed / n) / n);
  const perCategory = categories.map((cat) => {
    const inCat = cases.filter((c) => c.category === cat);
    const k = inCat.filter((c) => c.pass).length;
    const score = meanScore(inCat);
    return `${k}/${inCat.length}${score === null || Math.abs(score - k / inCat.length) < 1e-9 ? '' : ` (${pct(score, 1)} %)`}`;
  });
  const versus = setting === results[0].setting ? '' : (({ onlyFirst, onlySecond, p }) => `+${onlySecond} / -${onlyFirst}, p ${p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`}`)(comparePaired(results[0].cases, cases));
  const mean = meanScore(cases);
  return [setting.label, ...perCategory, `${passed}/${n} = ${pct(passed, n)} % ± ${(100 * se).toFixed(1)}`, mean === null ? 'n/a' : `${pct(mean, 1)} %`, versus];
});
console.log(`${flags.suite}, world ${flags.world}${placement === 'grid' ? ', placed on the code grid' : ''}, seeds ${seeds.join(', ')}, ${flags.limit} cases a seed, model ${flags.model}\n`);
console.log(`| setting | ${categories.map((c) => c.split('/').pop()).join(' | ')} | all passed | mean score | vs ${results[0].setting.label} (cases only it passes / only the first) |`);
console.log(`|${' --- |'.repeat(categories.length + 4)}`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
