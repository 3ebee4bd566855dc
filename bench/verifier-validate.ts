/**
 * Validates the independent verifier on held-out world scenes (not a test):
 *   node --import tsx bench/verifier-validate.ts [--runs clean,synthetic] [--scale 1] [--out out/verifier]
 * Prints identity and attribute accuracy per layout and the top confusions, and writes
 * <out>/report.json and report.md. `--scale 0.2` runs a fifth of the scenes, for a quick look.
 * Runs: clean renders; "synthetic", renders through a stand-in codec (degrade.ts). The VQ round trip
 * plugs in the same way, as a `Degradation` (see src/eval/verifier/README.md).
 */
import { parseArgs } from '../src/cli/args.ts';
import { syntheticDegradation } from '../src/eval/verifier/degrade.ts';
import { DEFAULT_BANK, bankKey } from '../src/eval/verifier/reference-bank.ts';
import { reportText, writeReport } from '../src/eval/verifier/report.ts';
import { DEFAULT_LAYOUTS, validateVerifier, type Degradation, type ValidationResult } from '../src/eval/verifier/validation.ts';
import { Verifier } from '../src/eval/verifier/verifier.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const { flags } = parseArgs(process.argv.slice(2), {
  runs: { type: 'string', default: 'clean,synthetic', description: 'comma-separated: clean, synthetic' },
  scale: { type: 'number', default: 1, description: 'multiplies the number of scenes per layout' },
  layouts: { type: 'string', default: DEFAULT_LAYOUTS.map((l) => l.name).join(','), description: 'comma-separated layout names' },
  out: { type: 'string', default: 'out/verifier', description: 'report folder' },
});

const DEGRADATIONS: Record<string, Degradation | undefined> = { clean: undefined, synthetic: (image) => syntheticDegradation(image) };

const cached = DEFAULT_BANK.cacheDir !== null && existsSync(join(DEFAULT_BANK.cacheDir, `${bankKey(DEFAULT_BANK)}.bin`));
let started = performance.now();
const verifier = await Verifier.create({ log: (line) => console.log(line) });
const bankSeconds = (performance.now() - started) / 1000;
console.log(`verifier ready in ${bankSeconds.toFixed(1)} s (${verifier.bank.refs.length} references${cached ? ', from the cache' : ''})`);

const wanted = flags.layouts.split(',');
const layouts = DEFAULT_LAYOUTS.filter((l) => wanted.includes(l.name)).map((l) => ({ ...l, scenes: Math.max(1, Math.round(l.scenes * flags.scale)) }));
const results: ValidationResult[] = [];
for (const name of flags.runs.split(',')) {
  if (!(name in DEGRADATIONS)) throw new Error(`unknown run "${name}"; choose from ${Object.keys(DEGRADATIONS).join(', ')}`);
  started = performance.now();
  results.push(
    await validateVerifier(verifier, {
      name,
      layouts,
      degrade: DEGRADATIONS[name],
      onLayout: (l) => console.log(`  ${name} ${l.name}: identity ${l.identity.correct}/${l.identity.total} (${l.msPerObject.toFixed(0)} ms/object)`),
    }),
  );
  console.log(`${name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
console.log(reportText(results));
const command = `node --import tsx bench/verifier-validate.ts ${process.argv.slice(2).join(' ')}`.trim();
writeReport(flags.out, results, { command, bankReferences: verifier.bank.refs.length, ...(cached ? {} : { bankSeconds }), date: new Date().toISOString().slice(0, 10) });
console.log(`wrote ${flags.out}/report.json and report.md`);
