import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineCommand, UserError } from '../command.ts';
import { MODEL_FLAGS } from '../engine-flags.ts';
import type { BenchReport } from '../../eval/run/run-suite.ts';

const BANKS = ['full', 'test'] as const;

export default defineCommand({
  name: 'eval-rescore',
  summary: "Re-score World-bench reports with today's verifier, from the codes their text→image cases kept (no model runs)",
  usage: '<report folder>: one that tessera eval wrote, or a folder of them (a sampling sweep\'s)',
  flags: {
    out: { type: 'string', short: 'o', description: 'folder for the re-scored report, or for one folder per report (default: <report folder>-rescored)' },
    vq: { ...MODEL_FLAGS.vq, description: 'the VQ that decodes the kept codes: the one the model used (default: models/vq)' },
    bank: { type: 'string', description: 'verifier references: full, or test (a few concepts, built in seconds: for tests)', default: 'full' },
  },
  async run({ flags, positionals }) {
    if (positionals.length !== 1) throw new UserError('give one report folder: tessera eval-rescore out/eval/default');
    if (!(BANKS as readonly string[]).includes(flags.bank)) throw new UserError(`--bank must be ${BANKS.join(' or ')}, got "${flags.bank}"`);
    const folder = positionals[0].replace(/\/+$/, '');
    const out = flags.out ?? `${folder.replace(/\/report\.json$/, '')}-rescored`;
    const jobs = reportsIn(folder).map((from) => ({ from, report: readReport(from), out: from === folder ? out : join(out, basename(from)) }));
    const kept = jobs.filter((job) => job.report.suites.every((s) => s.cases.every((c) => !c.codes)));
    if (kept.length > 0) throw new UserError(`no case of ${kept.map((j) => j.from).join(', ')} kept its image's codes (reports before session 28, references and questions keep none): run tessera eval again`);
    const { rescoreEval } = await import('../../eval/run/rescore-eval.ts');
    const command = `tessera eval-rescore ${process.argv.slice(3).join(' ')}`.trim();
    await rescoreEval({ jobs, bank: flags.bank as (typeof BANKS)[number], ...(flags.vq ? { vq: flags.vq } : {}), command });
  },
});

/** The report folder itself, or the report folders in it, sorted. */
function reportsIn(folder: string): string[] {
  if (folder.endsWith('.json') || existsSync(join(folder, 'report.json'))) return [folder];
  if (!existsSync(folder)) throw new UserError(`${join(folder, 'report.json')} does not exist: give a folder that tessera eval wrote`);
  const folders = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'report.json')))
    .map((entry) => join(folder, entry.name))
    .sort();
  if (folders.length === 0) throw new UserError(`${folder} holds no report.json, nor folders that do: give a folder that tessera eval wrote`);
  return folders;
}

function readReport(from: string): BenchReport {
  const file = from.endsWith('.json') ? from : join(from, 'report.json');
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (report?.bench !== 'world-bench' || !Array.isArray(report.suites)) throw new UserError(`${file} is not a World-bench report`);
  return report as BenchReport;
}
