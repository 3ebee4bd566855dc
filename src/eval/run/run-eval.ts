/**
 * `tessera eval` behind its flags: picks the subject (a reference or a model), loads the verifier,
 * runs the suites, writes the outputs. Kept out of the command file so that `tessera --help` loads
 * none of it.
 */
import { basename, join } from 'node:path';
import { loadModel, type LoadedModel } from '../../cli/load-model.ts';
import { UserError } from '../../cli/command.ts';
import type { SamplingSettings } from '../../engine/options.ts';
import { vqCodec } from '../../engine/vq-codec.ts';
import { DEFAULT_VQ_DIR, ImageTokenizer } from '../../tokenizers/image/index.ts';
import { writeBench } from '../report/write-bench.ts';
import { suitesNamed } from '../suites/registry.ts';
import { TEST_BANK } from '../verifier/test-bank.ts';
import type { ReferenceCodec } from '../verifier/reference-bank.ts';
import { Verifier } from '../verifier/verifier.ts';
import { vqReferenceCodec } from '../verifier/vq-round-trip.ts';
import { engineSubject } from './engine-subject.ts';
import { REFERENCES, referenceSubject, type ReferenceName } from './reference-subject.ts';
import { runBench, type BenchReport } from './run-suite.ts';
import type { Subject } from './subject.ts';
import type { WorldPreset } from '../../world/scene/world-config.ts';
import type { Placement } from '../suites/eval-world.ts';

export interface EvalFlags {
  suite: string;
  model?: string;
  vq?: string;
  out?: string;
  limit?: number;
  seed: number;
  bank: 'full' | 'test';
  /** Image sampling settings for a model subject, instead of the model's defaults (sampling.json, else the engine's). */
  sampling?: Partial<Omit<SamplingSettings, 'seed'>>;
  /** Text→image candidates per case for a model subject, the best-ranked kept (default 1). */
  bestOf?: number;
  /** The world preset whose concepts and styles the cases draw from (default full: core, every style). */
  world?: WorldPreset;
  /** Where the cases' objects stand (default free). */
  placement?: Placement;
  command?: string;
}

type SubjectSampling = Pick<EvalFlags, 'sampling' | 'bestOf'>;

/**
 * A subject with its verifier, loaded once: a sampling sweep runs many reports over one model, and
 * loading the model and the verifier's reference bank took about as long as a 96-case report.
 */
export interface OpenedEval {
  /** The subject at the flags' sampling and best-of. */
  subject: Subject;
  /** The same model at other settings (a reference subject has none: itself). */
  withSampling(settings: SubjectSampling): Subject;
  verifier: Verifier;
  release(): Promise<void>;
}

/**
 * The subject, and the codec its images went through for the verifier's degraded references (the
 * VQ's round trip: references drawn through it, see verifier/README.md), when it has a VQ.
 */
async function openSubject(flags: EvalFlags): Promise<{ subject: Subject; withSampling: OpenedEval['withSampling']; codec?: ReferenceCodec; release: () => Promise<void> }> {
  if (flags.model && (REFERENCES as readonly string[]).includes(flags.model)) {
    const name = flags.model as ReferenceName;
    if (name === 'groundtruth') {
      const subject = referenceSubject(name);
      return { subject, withSampling: () => subject, release: async () => {} };
    }
    const dir = flags.vq ?? DEFAULT_VQ_DIR;
    const tokenizer = await ImageTokenizer.load(dir, { threads: 1 }).catch((error: Error) => {
      throw new UserError(`the vq reference needs an exported VQ: ${error.message}`);
    });
    const subject = referenceSubject(name, vqCodec(tokenizer));
    return { subject, withSampling: () => subject, codec: await vqReferenceCodec(tokenizer, dir), release: () => tokenizer.release() };
  }
  const model: LoadedModel = await loadModel({ ...(flags.model ? { model: flags.model } : {}), ...(flags.vq ? { vq: flags.vq } : {}) });
  const withSampling = ({ sampling, bestOf }: SubjectSampling) => engineSubject(flags.model ?? 'models/default', model.engine, model.codec, sampling, bestOf);
  return {
    subject: withSampling(flags),
    withSampling,
    ...(model.vq ? { codec: await vqReferenceCodec(model.vq.tokenizer, model.vq.dir) } : {}),
    release: () => model.close(),
  };
}

/** Loads the subject flags.model names and the verifier that reads its images. */
export async function openEval(flags: EvalFlags): Promise<OpenedEval> {
  const { subject, withSampling, codec, release } = await openSubject(flags);
  try {
    const verifier = await Verifier.create({ images: subject.images, ...(flags.bank === 'test' ? { bank: TEST_BANK } : {}), ...(codec ? { codec } : {}), log: (line) => console.error(line) });
    return { subject, withSampling, verifier, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/** Runs flags.suite on an opened subject, at flags' sampling and best-of, and writes the outputs. */
export async function runEvalOn(opened: OpenedEval, flags: EvalFlags): Promise<{ out: string; report: BenchReport }> {
  const suites = suitesNamed(flags.suite)!;
  const subject = opened.withSampling(flags);
  const { report, runs } = await runBench({ suites, subject, verifier: opened.verifier, seed: flags.seed, ...(flags.world ? { world: flags.world } : {}), ...(flags.placement ? { placement: flags.placement } : {}), ...(flags.limit ? { limit: flags.limit } : {}), log: (line) => console.error(line) });
  const out = flags.out ?? join('out', 'eval', basename(subject.name));
  writeBench(report, runs, out, flags.command);
  return { out, report };
}

export async function runEval(flags: EvalFlags): Promise<{ out: string; report: BenchReport }> {
  const opened = await openEval(flags);
  try {
    return await runEvalOn(opened, flags);
  } finally {
    await opened.release();
  }
}
