/**
 * `tessera eval-rescore` behind its flags: loads the VQ and the verifier that reads its round trips,
 * re-scores the report (rescore.ts), writes the outputs and prints each suite's score before and
 * after. Kept out of the command file so that `tessera --help` loads none of it.
 */
import { resolve } from 'node:path';
import { UserError } from '../../cli/command.ts';
import { vqCodec } from '../../engine/vq-codec.ts';
import { DEFAULT_VQ_DIR, ImageTokenizer } from '../../tokenizers/image/index.ts';
import { writeBench } from '../report/write-bench.ts';
import { TEST_BANK } from '../verifier/test-bank.ts';
import { Verifier } from '../verifier/verifier.ts';
import { vqReferenceCodec } from '../verifier/vq-round-trip.ts';
import { rescoreReport, RescoreError } from './rescore.ts';
import type { BenchReport } from './run-suite.ts';

export interface RescoreFlags {
  /** Each report, where it was read from (recorded in the new one), and where the new one goes. */
  jobs: { report: BenchReport; from: string; out: string }[];
  vq?: string;
  bank: 'full' | 'test';
  command?: string;
}

/** Re-scores every job's report with one VQ and one verifier (its bank loads once). */
export async function rescoreEval(flags: RescoreFlags): Promise<void> {
  const dir = flags.vq ?? DEFAULT_VQ_DIR;
  const tokenizer = await ImageTokenizer.load(dir, { threads: 1 }).catch((error: Error) => {
    throw new UserError(`re-scoring decodes the kept codes with a VQ: ${error.message}`);
  });
  try {
    const codec = await vqReferenceCodec(tokenizer, dir);
    // Kept codes come from subjects that draw through the VQ: their images are read as degraded (rescore.ts asks for the report's own kind).
    const verifier = await Verifier.create({ images: 'degraded', codec, ...(flags.bank === 'test' ? { bank: TEST_BANK } : {}), log: (line) => console.error(line) });
    const decoder = vqCodec(tokenizer);
    const percent = (score: number | null | undefined) => (score === null || score === undefined ? 'n/a' : `${(score * 100).toFixed(1)}%`);
    for (const job of flags.jobs) {
      const started = performance.now();
      const { report, runs, rescored, kept } = await rescoreReport(job.report, verifier, decoder).catch((error: Error) => {
        throw error instanceof RescoreError ? new UserError(`${job.from}: ${error.message}`) : error;
      });
      writeBench({ ...report, rescoredFrom: job.from }, runs, job.out, flags.command);
      const before = new Map(job.report.suites.map((s) => [s.name, s.score]));
      if (flags.jobs.length > 1) console.log(job.from);
      for (const s of report.suites) console.log(`${s.name.padEnd(14)} ${percent(before.get(s.name))} -> ${percent(s.score)}`);
      console.log(`re-scored ${rescored} cases from their codes, ${kept} kept their scores (${((performance.now() - started) / 1000).toFixed(0)} s); wrote ${resolve(job.out)}`);
    }
  } finally {
    await tokenizer.release();
  }
}
