/**
 * Validates the independent verifier on held-out world scenes (not a test):
 *   node --import tsx bench/verifier-validate.ts [--runs clean,synthetic] [--scale 1] [--layouts 8x8,single] [--no-blind] [--out out/verifier]
 * Prints identity and attribute accuracy per layout and the top confusions, and writes
 * <out>/report.json and report.md. `--scale 0.2` runs a fifth of the scenes, for a quick look.
 * Runs: clean renders; "synthetic", renders through a stand-in codec (degrade.ts); "vq", renders
 * through the image tokenizer's round trip (models/vq), skipped when no VQ is exported. Degraded
 * runs are read as degraded images: the synthetic one with the halved-and-restored bank, the vq one
 * with references drawn through the same round trip (`--vq-bank vq`, the default; built once per VQ)
 * or with the halved bank (`--vq-bank halved`, the verifier's reading before session 6).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../src/cli/args.ts';
import { syntheticDegradation } from '../src/eval/verifier/degrade.ts';
import { DEFAULT_BANK, bankKey, type ReferenceCodec } from '../src/eval/verifier/reference-bank.ts';
import { reportText, writeReport } from '../src/eval/verifier/report.ts';
import { DEFAULT_LAYOUTS, validateVerifier, type Degradation, type ValidationResult } from '../src/eval/verifier/validation.ts';
import { Verifier } from '../src/eval/verifier/verifier.ts';
import { vqReferenceCodec, vqRoundTrip } from '../src/eval/verifier/vq-round-trip.ts';
import { DEFAULT_VQ_DIR, ImageTokenizer } from '../src/tokenizers/image/index.ts';

const { flags } = parseArgs(process.argv.slice(2), {
  runs: { type: 'string', default: 'clean,synthetic,vq', description: 'comma-separated: clean, synthetic, vq' },
  scale: { type: 'number', default: 1, description: 'multiplies the number of scenes per layout' },
  layouts: { type: 'string', default: DEFAULT_LAYOUTS.map((l) => l.name).join(','), description: 'comma-separated layout names' },
  out: { type: 'string', default: 'out/verifier', description: 'report folder' },
  blind: { type: 'boolean', default: true, description: 'also read every object told nothing (--no-blind halves the time)' },
  'vq-bank': { type: 'string', default: 'vq', description: "the vq run's references: 'vq' (drawn through the same round trip) or 'halved' (halved and restored)" },
});

const DEGRADATIONS: Record<string, Degradation | undefined> = { clean: undefined, synthetic: (image) => syntheticDegradation(image), vq: undefined };
let runs = flags.runs.split(',');
if (!['vq', 'halved'].includes(flags['vq-bank'])) throw new Error(`--vq-bank must be vq or halved, got ${flags['vq-bank']}`);
let codec: ReferenceCodec | undefined;
if (runs.includes('vq')) {
  try {
    const tokenizer = await ImageTokenizer.load(DEFAULT_VQ_DIR, { threads: 1 });
    DEGRADATIONS.vq = vqRoundTrip(tokenizer);
    if (flags['vq-bank'] === 'vq') codec = await vqReferenceCodec(tokenizer, DEFAULT_VQ_DIR);
  } catch (error) {
    console.log(`skipping the vq run: ${(error as Error).message}`);
    runs = runs.filter((r) => r !== 'vq');
  }
}
for (const name of runs) if (!(name in DEGRADATIONS)) throw new Error(`unknown run "${name}"; choose from ${Object.keys(DEGRADATIONS).join(', ')}`);

const banks: string[] = [];
/** A verifier for clean or degraded images (through `codec`'s bank, if given), noting how long its bank took and whether it was cached. */
async function timedVerifier(images: 'clean' | 'degraded', codec?: ReferenceCodec): Promise<Verifier> {
  const cached = DEFAULT_BANK.cacheDir !== null && existsSync(join(DEFAULT_BANK.cacheDir, `${bankKey({ ...DEFAULT_BANK, blurred: images === 'degraded', codec })}.bin`));
  const started = performance.now();
  const verifier = await Verifier.create({ images, ...(codec ? { codec } : {}), log: (line) => console.log(line) });
  const seconds = (performance.now() - started) / 1000;
  const bank = images === 'clean' ? verifier.banks.sharp! : verifier.banks.blurred!;
  const kind = images === 'clean' ? 'sharp' : codec ? `codec (${codec.key})` : 'blurred';
  banks.push(`${kind} bank ${bank.references.refs.length} references, ${cached ? 'loaded' : 'built'} in ${seconds.toFixed(0)} s`);
  console.log(banks[banks.length - 1]);
  return verifier;
}

const wanted = flags.layouts.split(',');
const layouts = DEFAULT_LAYOUTS.filter((l) => wanted.includes(l.name)).map((l) => ({ ...l, scenes: Math.max(1, Math.round(l.scenes * flags.scale)) }));
const results: ValidationResult[] = [];
for (const name of runs) {
  const degrade = DEGRADATIONS[name];
  // A codec's output is told as such: its frame may come through too clean to tell by itself.
  const verifier = await timedVerifier(degrade ? 'degraded' : 'clean', name === 'vq' ? codec : undefined);
  const started = performance.now();
  results.push(
    await validateVerifier(verifier, {
      name,
      layouts,
      degrade,
      blind: flags.blind,
      onLayout: (l) => console.log(`  ${name} ${l.name}: identity ${l.identity.correct}/${l.identity.total} (${l.msPerObject.toFixed(0)} ms/object)`),
    }),
  );
  console.log(`${name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
console.log(reportText(results));
const command = `node --import tsx bench/verifier-validate.ts ${process.argv.slice(2).join(' ')}`.trim();
writeReport(flags.out, results, { command, banks: banks.join('; '), date: new Date().toISOString().slice(0, 10) });
console.log(`wrote ${flags.out}/report.json and report.md`);
