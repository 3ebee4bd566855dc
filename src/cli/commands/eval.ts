import { resolve } from 'node:path';
import { defineCommand, UserError } from '../command.ts';
import { MODEL_FLAGS, SAMPLING_FLAGS, samplingOptions } from '../engine-flags.ts';
import { closestNames } from '../../util/closest.ts';
import { suiteNames } from '../../eval/suites/registry.ts';
import { EVAL_SEED, type Placement, PLACEMENTS } from '../../eval/suites/eval-world.ts';
import { REFERENCES } from '../../eval/run/reference-subject.ts';
import { IMAGE_DEFAULTS, samplingSettings } from '../../engine/options.ts';
import { WORLD_PRESETS, type WorldPreset } from '../../world/scene/world-config.ts';

const BANKS = ['full', 'test'] as const;
/** Candidates are one batch: 16 at CFG is 32 rows, already ~4 s an image on two cores. */
const MAX_BEST_OF = 16;

export default defineCommand({
  name: 'eval',
  summary: 'World-bench: score a model (or the world\'s references) on fixed suites; JSON, Markdown, contact sheets, plot',
  flags: {
    suite: { type: 'string', description: `suite to run: ${suiteNames().join(', ')}`, default: 'all' },
    model: { type: 'string', description: `model folder, or a reference: ${REFERENCES.join(' (world renders), ')} (renders through the VQ) (default: models/default)` },
    vq: MODEL_FLAGS.vq,
    out: { type: 'string', short: 'o', description: 'report folder (default: out/eval/<model name>)' },
    limit: { type: 'number', description: 'this many cases per suite: a prefix of the fixed set, categories interleaved; above it, further scenes of every category' },
    seed: { type: 'number', description: 'base seed of the cases (eval seeds are kept apart from training seeds)', default: EVAL_SEED },
    bank: { type: 'string', description: `verifier references: full, or test (a few concepts, built in seconds: for the smoke suite in CI)`, default: 'full' },
    // image sampling instead of the engine's defaults (each case keeps its own seed)
    cfg: SAMPLING_FLAGS.cfg,
    temperature: SAMPLING_FLAGS.temperature,
    'top-k': SAMPLING_FLAGS['top-k'],
    'top-p': SAMPLING_FLAGS['top-p'],
    world: { type: 'string', description: `the world whose concepts and styles the cases draw from: ${Object.keys(WORLD_PRESETS).join(', ')} (a model trained on a curriculum step is also scored within it)`, default: 'full' },
    placement: { type: 'string', description: `where the cases' objects stand: free (anywhere, as in a user's picture) or grid (on the VQ's code grid, as the curriculum's worlds train on)`, default: 'free' },
    'best-of': { type: 'number', description: `text→image candidates per case, the one the model ranks first kept (1: its one sample; at most ${MAX_BEST_OF})`, default: 1 },
  },
  async run({ flags }) {
    const names = suiteNames();
    if (!names.includes(flags.suite)) {
      const hint = closestNames(flags.suite, names);
      throw new UserError(`unknown suite "${flags.suite}"${hint.length ? `; did you mean ${hint.map((h) => `"${h}"`).join(', ')}?` : ''} (suites: ${names.join(', ')})`);
    }
    if (flags.limit !== undefined && (!Number.isInteger(flags.limit) || flags.limit < 1)) throw new UserError(`--limit must be a positive integer, got ${flags.limit}`);
    if (!Number.isInteger(flags.seed) || flags.seed < 0 || flags.seed >= 2 ** 32) throw new UserError(`--seed must be an integer in [0, 2^32), got ${flags.seed}`);
    if (!(BANKS as readonly string[]).includes(flags.bank)) throw new UserError(`--bank must be one of ${BANKS.join(', ')}, got "${flags.bank}"`);
    if (!Object.hasOwn(WORLD_PRESETS, flags.world)) throw new UserError(`unknown world "${flags.world}" (worlds: ${Object.keys(WORLD_PRESETS).join(', ')})`);
    if (!(PLACEMENTS as readonly string[]).includes(flags.placement)) throw new UserError(`--placement must be one of ${PLACEMENTS.join(', ')}, got "${flags.placement}"`);
    const bestOf = flags['best-of'];
    if (!Number.isInteger(bestOf) || bestOf < 1 || bestOf > MAX_BEST_OF) throw new UserError(`--best-of must be an integer from 1 to ${MAX_BEST_OF}, got ${bestOf}`);
    const { seed: _caseSeeds, ...sampling } = samplingOptions(flags);
    if ((Object.keys(sampling).length || bestOf > 1) && (REFERENCES as readonly string[]).includes(flags.model ?? '')) {
      throw new UserError(`sampling settings apply to a model, not to the ${flags.model} reference`);
    }
    try {
      samplingSettings(sampling, IMAGE_DEFAULTS);
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    const { runEval } = await import('../../eval/run/run-eval.ts');
    const command = `tessera eval ${process.argv.slice(3).join(' ')}`.trim();
    const { out, report } = await runEval({ ...flags, bank: flags.bank as (typeof BANKS)[number], world: flags.world as WorldPreset, placement: flags.placement as Placement, sampling, bestOf, command });
    for (const s of report.suites) console.log(`${s.name.padEnd(14)} ${s.score === null ? 'n/a' : `${(s.score * 100).toFixed(1)}%`}`);
    console.log(`wrote ${resolve(out)}: report.json, summary.md, sheet-<suite>.png, scores.png (${report.seconds.toFixed(0)} s)`);
  },
});
