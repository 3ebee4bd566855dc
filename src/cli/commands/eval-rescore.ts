import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand, UserError } from '../command.ts';
import { MODEL_FLAGS } from '../engine-flags.ts';

const BANKS = ['full', 'test'] as const;

export default defineCommand({
  name: 'eval-rescore',
  summary: "Re-score a World-bench report with today's verifier, from the codes its text→image cases kept (no model runs)",
  usage: '<report folder>',
  flags: {
    out: { type: 'string', short: 'o', description: 'folder for the re-scored report (default: <report folder>-rescored)' },
    vq: { ...MODEL_FLAGS.vq, description: 'the VQ that decodes the kept codes: the one the model used (default: models/vq)' },
    bank: { type: 'string', description: 'verifier references: full, or test (a few concepts, built in seconds: for tests)', default: 'full' },
  },
  async run({ flags, positionals }) {
    if (positionals.length !== 1) throw new UserError('give one report folder: tessera eval-rescore out/eval/default');
    const [folder] = positionals;
    if (!(BANKS as readonly string[]).includes(flags.bank)) throw new UserError(`--bank must be ${BANKS.join(' or ')}, got "${flags.bank}"`);
    const file = folder.endsWith('.json') ? folder : join(folder, 'report.json');
    if (!existsSync(file)) throw new UserError(`${file} does not exist: give a folder that tessera eval wrote`);
    let report;
    try {
      report = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UserError(`${file} is not JSON: ${(error as Error).message}`);
    }
    if (report?.bench !== 'world-bench' || !Array.isArray(report.suites)) throw new UserError(`${file} is not a World-bench report`);
    const withCodes = report.suites.reduce((n: number, s: { cases: { codes?: string }[] }) => n + s.cases.filter((c) => c.codes).length, 0);
    if (withCodes === 0) throw new UserError(`no case of ${file} kept its image's codes (reports before session 28, references and questions keep none): run tessera eval again`);
    const { rescoreEval } = await import('../../eval/run/rescore-eval.ts');
    const out = flags.out ?? `${folder.replace(/\/+$/, '').replace(/\/report\.json$/, '')}-rescored`;
    const command = `tessera eval-rescore ${process.argv.slice(3).join(' ')}`.trim();
    await rescoreEval({ report, from: folder, out, bank: flags.bank as (typeof BANKS)[number], ...(flags.vq ? { vq: flags.vq } : {}), command });
  },
});
