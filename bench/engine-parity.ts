/**
 * How closely a model folder's lm.onnx, run by the engine's LmSession, follows PyTorch on the same
 * weights: the question an int8 (or any lossy) export has to answer before it ships.
 *
 *   node --import tsx bench/engine-parity.ts --model models/default --weights models/default/weights.safetensors
 *   python -m tessera_trainer.lm export --config models/default/config.json \
 *     --weights models/default/weights.safetensors --out /tmp/int8 --dtype int8
 *   node --import tsx bench/engine-parity.ts --model /tmp/int8 --weights models/default/weights.safetensors
 *
 * PyTorch computes export.reference()'s batch (two prompts, one left-padded) and --steps greedy steps
 * in fp32; the engine replays the same tokens (teacher forcing, so one early disagreement does not
 * derail the rest). Prints the largest logit difference, top-1 agreement and the mean
 * KL(PyTorch || ONNX) over every real position.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readModelDir } from '../src/engine/model-files.ts';
import { parity } from '../src/engine/parity.ts';
import { LmSession } from '../src/engine/session.ts';
import { pytorchReference } from '../src/trainer/lm-reference.ts';

const { values: flags } = parseArgs({ options: { model: { type: 'string' }, weights: { type: 'string' }, steps: { type: 'string', default: '120' } } });
if (!flags.model || !flags.weights) throw new Error('usage: bench/engine-parity.ts --model DIR --weights FILE [--steps N]');
const files = await readModelDir(flags.model);
const ref = pytorchReference(join(flags.model, 'config.json'), flags.weights, Number(flags.steps));
const session = await LmSession.create(files.lm, files.config, { intraOpNumThreads: 1 });
const stats = await parity(session, ref);
await session.release();
console.log(`${files.lm} vs PyTorch (fp32) over ${stats.positions} positions (prefill + ${ref.greedy.length} teacher-forced steps, ${ref.input_ids.length} rows):`);
console.log(`  max |logit diff| ${stats.maxAbsDiff.toExponential(2)}, top-1 agreement ${(100 * stats.top1).toFixed(1)}%, mean KL ${stats.meanKl.toExponential(2)} nats`);
