import { basename, dirname, join } from 'node:path';
import { defineCommand, UserError } from '../command.ts';
import { MODEL_FLAGS } from '../engine-flags.ts';
import { readReports, ReportError } from '../../eval/report/compare-reports.ts';
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
    let read;
    try {
      read = readReports(folder);
    } catch (error) {
      if (error instanceof ReportError) throw new UserError(error.message);
      throw error;
    }
    // The folder itself is one report, or it holds one report folder each.
    const jobs = read.map(({ file, ...report }) => {
      const from = dirname(file);
      return { from, report: report as unknown as BenchReport, out: folder.endsWith('.json') || from === folder ? out : join(out, basename(from)) };
    });
    const kept = jobs.filter((job) => job.report.suites.every((s) => s.cases.every((c) => !c.codes)));
    if (kept.length > 0) throw new UserError(`no case of ${kept.map((j) => j.from).join(', ')} kept its image's codes (reports before session 28, references and questions keep none): run tessera eval again`);
    const { rescoreEval } = await import('../../eval/run/rescore-eval.ts');
    const command = `tessera eval-rescore ${process.argv.slice(3).join(' ')}`.trim();
    await rescoreEval({ jobs, bank: flags.bank as (typeof BANKS)[number], ...(flags.vq ? { vq: flags.vq } : {}), command });
  },
});
