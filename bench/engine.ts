/**
 * Engine speed on this machine: one 128 px image (258 tokens) with classifier-free guidance, N=1 and
 * N=4, against the compute floor and the PyTorch reference sampler on the same weights and settings.
 *
 *   node --import tsx bench/engine.ts                        # models/default, else the tiny fixture
 *   node --import tsx bench/engine.ts --model src/model/fixtures/tiny --repeats 5
 *   node --import tsx bench/engine.ts --model models/default --weights runs/lm   # PyTorch side needs the weights
 *   git worktree add /tmp/before COMMIT && node --import tsx bench/engine.ts --baseline /tmp/before  # A/B
 *
 * --baseline ROOT times an older checkout's engine (ROOT/src/engine/engine.ts on ROOT's copy of the
 * same model folder) interleaved with this one, call by call, so a busy machine slows both alike.
 * --ns picks the batch sizes (default 1,4); --threads-experiment adds 1 vs 2 ORT threads;
 * --preview-every 0 streams codes without decoding previews (the PyTorch sampler decodes none; the
 * engine's default decodes one per grid row and candidate, a VQ call of ~15 ms each here);
 * --previews 0 decodes previews of candidate 0 only, as the server does (a baseline engine without
 * the option decodes all). The VQ decodes in its worker thread (--no-vq-worker: on the main thread);
 * a baseline engine gets a main-thread VQ, as engines had before the worker. --jacobi K sets this
 * engine's speculative Jacobi windows to K tokens (1: sequential; default: the engine's own,
 * `defaultJacobi(n)`: windows of 4 at N=1, none above); a baseline engine gets its own default. With
 * --baseline, the two engines' codes are compared (same seed). The floor counts the sequential
 * row-tokens whatever the windows (a window's rejected drafts are work the floor does not owe).
 *
 * Prints ms per image, image tokens/s, time to the first streamed preview, the floor (2 x params x
 * tokens FLOPs at the GFLOP/s an ONNX MatMul reaches here) and TS / PyTorch. Timings are medians:
 * this machine is shared, so single runs are noisy. Without a tokenizer.json (the tiny fixture) the
 * tests' ASCII tokenizer stands in; without a VQ that fits (models/vq, or --vq DIR) the tests' block
 * "VQ" does, and previews then cost ~nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countParams } from '../src/model/model-config.ts';
import { createSession, onnxRuntime } from '../src/runtime/onnx.ts';
import { defaultWideThreads, Engine } from '../src/engine/engine.ts';
import { defaultJacobi } from '../src/engine/generate.ts';
import { LmSession } from '../src/engine/session.ts';
import type { ImageCodec } from '../src/engine/image-codec.ts';
import { DEFAULT_MODEL_DIR, DEFAULT_VQ_DIR, loadTokenizer, loadVq, readModelDir } from '../src/engine/model-files.ts';
import { type EngineTokenizer, promptIds } from '../src/engine/prompt.ts';
import { asciiTokenizer, BlockCodec, TINY_DIR } from '../src/engine/test-support.ts';
import { resolvePython, trainerEnv } from '../src/trainer/python.ts';
import { median } from '../src/util/median.ts';

const { values: flags } = parseArgs({
  options: {
    model: { type: 'string' },
    weights: { type: 'string' },
    repeats: { type: 'string', default: '5' },
    threads: { type: 'string', default: '1' },
    vq: { type: 'string' },
    'skip-python': { type: 'boolean', default: false },
    baseline: { type: 'string' },
    ns: { type: 'string', default: '1,4' },
    'threads-experiment': { type: 'boolean', default: false },
    'preview-every': { type: 'string', default: '1' },
    previews: { type: 'string', default: 'all' },
    jacobi: { type: 'string' },
    'no-vq-worker': { type: 'boolean', default: false },
    cfg: { type: 'string' },
    temperature: { type: 'string' },
  },
});
const dir = flags.model ?? (existsSync(join(DEFAULT_MODEL_DIR, 'lm.onnx')) ? DEFAULT_MODEL_DIR : TINY_DIR);
const repeats = Number(flags.repeats);
const threads = Number(flags.threads);
const PROMPT = 'two red stars on a blue background';

const files = await readModelDir(dir);
const tokenizer: EngineTokenizer = files.tokenizer ? await loadTokenizer(files) : asciiTokenizer;
// A `lm fixture` folder: seeded random weights that the PyTorch side can rebuild without a weights file.
const fixture = existsSync(join(dir, 'reference.bin'));
// Previews and final images go through the real VQ when one fits the model, else a free stand-in.
const vqDir = flags.vq ?? DEFAULT_VQ_DIR;
// This engine decodes in the VQ worker (unless --no-vq-worker); a baseline gets the VQ on its own thread, as before.
const vqWorker = !flags['no-vq-worker'];
const codec: ImageCodec & { close?(): Promise<void> } = await loadVq(vqDir, files.config, threads, { worker: vqWorker }).catch((e: Error) => {
  console.log(`VQ: block stand-in (${e.message})`);
  return new BlockCodec();
});
const baselineCodec = codec instanceof BlockCodec || !vqWorker ? codec : await loadVq(vqDir, files.config, threads, { worker: false });
if (!(codec instanceof BlockCodec)) console.log(`VQ: ${vqDir}${vqWorker ? ', decoded in a worker thread' : ''}`);
// As `load` opens it: a second, two-thread session for large calls (none here is: the prompt is short).
const session = await LmSession.create(files.lm, files.config, { intraOpNumThreads: threads, wideThreads: defaultWideThreads() });
const engine = new Engine({ config: files.config, session, tokenizer, codec, ...(files.sampling ? { sampling: files.sampling } : {}) });
const { config } = engine;
// What a user of this model gets: its sampling.json (else the engine's defaults), unless --cfg / --temperature
// say otherwise. The temperature changes no cost per token but how often Jacobi drafts pass.
const SETTINGS = {
  ...engine.sampling.image,
  ...(flags.cfg !== undefined ? { cfg: Number(flags.cfg) } : {}),
  ...(flags.temperature !== undefined ? { temperature: Number(flags.temperature) } : {}),
  seed: 1,
};
const params = countParams(config).total;
console.log(`model ${dir}: preset ${config.preset}, ${(params / 1e6).toFixed(3)}M params, vocab ${config.vocab.size}; ORT threads ${threads}; preview every ${flags['preview-every']} rows, of candidates ${flags.previews}`);
console.log(`sampling: guidance ${SETTINGS.cfg}, temperature ${SETTINGS.temperature}, top-k ${SETTINGS.topK}, top-p ${SETTINGS.topP}, seed ${SETTINGS.seed}${files.sampling ? ' (the model\'s sampling.json)' : ''}`);

/** `--previews`: 'all', or candidate indices ("0" = what the server streams). */
const previews = flags.previews === 'all' ? 'all' : flags.previews.split(',').map(Number);
const previewEvery = Number(flags['preview-every']);
/** `--jacobi K`: speculative Jacobi windows of K tokens (1: sequential), else the engine's default for n; graph calls and acceptance are summed here. */
const jacobiWindow = (n: number) => (flags.jacobi !== undefined ? Number(flags.jacobi) : (defaultJacobi(n)?.window ?? 1));
const jacobiStats = { calls: 0, drafted: 0, accepted: 0, runs: 0 };

/** One generate call: wall ms, ms to the first partial preview, and the codes, candidate by candidate. */
async function once(n: number, e: Engine): Promise<{ ms: number; preview: number; codes: string }> {
  const t0 = performance.now();
  let preview = NaN;
  // An older engine rejects options it does not know: only this one is asked for `previews`.
  const only = { ...(e === engine && previews !== 'all' ? { previews } : {}), ...(e === engine ? { jacobi: { window: jacobiWindow(n), stats: jacobiStats } } : {}) };
  if (e === engine) jacobiStats.runs++;
  const images = [];
  for await (const event of e.generate({ prompt: PROMPT, n, ...SETTINGS, score: false, previewEvery, ...only })) {
    // The first preview image; with --preview-every 0, the first row of codes.
    if (event.type === 'partial' && (event.image || previewEvery === 0) && Number.isNaN(preview)) preview = performance.now() - t0;
    if (event.type === 'image') images.push(event);
  }
  const ms = performance.now() - t0;
  return { ms, preview, codes: images.sort((a, b) => a.index - b.index).map((im) => im.codes.join(',')).join(';') };
}

/** Median of `repeats` calls after a warm-up; with a second engine, the two alternate call by call. */
async function timeEngine(n: number, e: Engine = engine, other?: Engine) {
  const engines = other ? [e, other] : [e];
  const warm: { codes: string }[] = [];
  for (const x of engines) warm.push(await once(n, x)); // warm-up: first-run allocations and ORT graph caches
  const runs: { ms: number; preview: number }[][] = engines.map(() => []);
  for (let r = 0; r < repeats; r++) for (const [i, x] of engines.entries()) runs[i].push(await once(n, x));
  const timed = runs.map((rs) => ({ ms: median(rs.map((r) => r.ms)), preview: median(rs.map((r) => r.preview)) }));
  return { timed, sameCodes: warm.every((w) => w.codes === warm[0].codes) };
}

/** The engine of an older checkout (its own src/engine and its copy of the model folder). */
async function baselineEngine(root: string): Promise<Engine> {
  const repo = fileURLToPath(new URL('..', import.meta.url));
  root = resolve(root); // a relative root ('.') would import as a package name
  const { load: loadOld } = (await import(join(root, 'src/engine/engine.ts'))) as { load: typeof import('../src/engine/engine.ts').load };
  return loadOld(join(root, relative(repo, dir)), { tokenizer, vq: baselineCodec, threads });
}
const baseline = flags.baseline ? await baselineEngine(flags.baseline) : undefined;
if (flags.baseline) console.log(`baseline: ${flags.baseline} (same model folder, its engine and export)`);

/** A one-node MatMul model, written as ONNX protobuf bytes by hand (no onnx package needed). */
function matmulModel(m: number, k: number, n: number): Uint8Array {
  const varint = (v: number) => { const out = []; while (v > 127) { out.push((v & 127) | 128); v = Math.floor(v / 128); } out.push(v); return out; };
  const field = (no: number, bytes: number[]) => [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
  const str = (no: number, s: string) => field(no, [...new TextEncoder().encode(s)]);
  const int = (no: number, v: number) => [...varint(no << 3), ...varint(v)];
  const tensorType = (dims: number[]) => field(2, field(1, [...int(1, 1), ...field(2, dims.flatMap((d) => field(1, int(1, d))))])); // float, shape
  const value = (name: string, dims: number[]) => [...str(1, name), ...tensorType(dims)];
  const node = [...str(1, 'A'), ...str(1, 'B'), ...str(2, 'C'), ...str(4, 'MatMul')];
  const graph = [...field(1, node), ...str(2, 'mm'), ...field(11, value('A', [m, k])), ...field(11, value('B', [k, n])), ...field(12, value('C', [m, n]))];
  return Uint8Array.from([...int(1, 8), ...field(8, int(2, 17)), ...field(7, graph)]);
}

async function matmulGflops(size: number): Promise<number> {
  const ort = await onnxRuntime();
  const session = await createSession(matmulModel(size, size, size), { intraOpNumThreads: threads });
  const a = new ort.Tensor('float32', Float32Array.from({ length: size * size }, () => Math.random()), [size, size]);
  const feeds = { A: a, B: a };
  await session.run(feeds);
  const times = [];
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  return (2 * size ** 3) / (median(times) / 1e3) / 1e9;
}

/** The PyTorch reference sampler (trainer/tessera_trainer/lm/sample.py) on the same rows and settings. */
function pytorch(n: number): { ms: number; parity: number } | string {
  if (!flags.weights && !fixture) return 'skipped (the PyTorch side needs --weights for a trained model)';
  const turns = [{ role: 'user' as const, parts: [{ text: PROMPT }] }];
  const request = {
    config: join(dir, 'config.json'), weights: flags.weights ?? null, threads, repeats, n,
    prompt: promptIds('t2i', turns, tokenizer, config.vocab), uncond: promptIds('t2i', turns, tokenizer, config.vocab, { drop: true }),
    settings: { temperature: SETTINGS.temperature, top_k: SETTINGS.topK, top_p: SETTINGS.topP, cfg_scale: SETTINGS.cfg, seed: SETTINGS.seed },
    reference: fixture ? join(dir, 'reference.bin') : null,
  };
  let python: string;
  try {
    python = resolvePython();
  } catch (e) {
    return `skipped (${(e as Error).message.split('.')[0]})`;
  }
  const out = spawnSync(python, ['-c', PYTHON], { input: JSON.stringify(request), env: trainerEnv(), encoding: 'utf8' });
  if (out.status !== 0) return `failed: ${out.stderr.trim().split('\n').at(-1)}`;
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!);
}

const PYTHON = String.raw`
import json, statistics, sys, time
import numpy as np, torch
from tessera_trainer.lm.config import LMConfig
from tessera_trainer.lm.model import LM, load_lm
from tessera_trainer.lm.sample import SamplingConfig, generate_images
from tessera_trainer.lm import export
req = json.load(sys.stdin)
torch.set_num_threads(req["threads"])
cfg = LMConfig.load(req["config"])
parity = None
if req["weights"]:
    model = load_lm(cfg, req["weights"])
else:  # a fixture folder: rebuilt the way "lm fixture" seeds it, proven by its reference logits
    torch.manual_seed(0)
    model = LM(cfg)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.1) if p.dim() >= 2 else p.uniform_(0.5, 1.5)
    export.manual_attention(model)
    _, data = export.reference(model.eval())
    parity = float(np.abs(np.frombuffer(data, "<f4") - np.fromfile(req["reference"], "<f4")).max())
model.eval()
sc = SamplingConfig(**req["settings"])
rows, unc = [req["prompt"]] * req["n"], [req["uncond"]] * req["n"]
generate_images(model, rows, unc, sc)
times = []
for _ in range(req["repeats"]):
    t0 = time.perf_counter()
    generate_images(model, rows, unc, sc)
    times.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"ms": statistics.median(times), "parity": parity}))
`;

const tokensPerImage = config.image.tokens + 2;
const gflops = await matmulGflops(256);
const gflopsBig = await matmulGflops(512);
console.log(`ONNX MatMul fp32: ${gflops.toFixed(1)} GFLOP/s at 256^3, ${gflopsBig.toFixed(1)} at 512^3 (${threads} thread${threads > 1 ? 's' : ''})`);
const promptLen = promptIds('t2i', [{ role: 'user', parts: [{ text: PROMPT }] }], tokenizer, config.vocab).length;
for (const n of flags.ns.split(',').map(Number)) {
  const { timed, sameCodes } = await timeEngine(n, engine, baseline);
  const [{ ms, preview }, old] = timed;
  const rowTokens = 2 * n * (tokensPerImage - 1) + 2 * promptLen; // cond + uncond rows: prefill + 257 decode steps
  const floorMs = ((2 * params * rowTokens) / (Math.max(gflops, gflopsBig) * 1e9)) * 1e3;
  console.log(`\nN=${n} with CFG (${2 * n} rows):`);
  console.log(`  engine   ${ms.toFixed(1)} ms per call, ${(ms / n).toFixed(1)} ms per image, ${((n * tokensPerImage) / (ms / 1e3)).toFixed(0)} image tokens/s, first preview after ${preview.toFixed(1)} ms`);
  if (jacobiWindow(n) > 1) {
    const { calls, drafted, accepted, runs } = jacobiStats;
    console.log(`  jacobi   window ${jacobiWindow(n)}: ${(calls / runs).toFixed(1)} graph calls per generate call (sequential: ${tokensPerImage - 1}), ${accepted}/${drafted} drafts accepted (${((100 * accepted) / Math.max(1, drafted)).toFixed(1)} %), ${((tokensPerImage - 1) / (calls / runs)).toFixed(2)} tokens per graph call`);
  }
  Object.assign(jacobiStats, { calls: 0, drafted: 0, accepted: 0, runs: 0 });
  if (old) console.log(`  baseline ${old.ms.toFixed(1)} ms per call, first preview after ${old.preview.toFixed(1)} ms; this engine takes ${(ms / old.ms).toFixed(2)} of its time; codes ${sameCodes ? 'identical' : 'DIFFER'}`);
  console.log(`  floor    ${floorMs.toFixed(2)} ms (2 x ${params} params x ${rowTokens} row-tokens); engine is ${(ms / floorMs).toFixed(2)}x the floor`);
  const py = flags['skip-python'] ? 'skipped (--skip-python)' : pytorch(n);
  if (typeof py === 'string') console.log(`  pytorch  ${py}`);
  else console.log(`  pytorch  ${py.ms.toFixed(1)} ms per call (reference sampler, ${threads} thread${threads > 1 ? 's' : ''}${py.parity === null ? '' : `, weights match the fixture to ${py.parity.toExponential(1)}`}); TS / PyTorch = ${(ms / py.ms).toFixed(2)}`);
}

// Experiments, measured the same way; the engine keeps what they justify (see LoadOptions.threads).
if (flags['threads-experiment']) {
  const other = threads === 1 ? 2 : 1;
  const otherEngine = new Engine({ config, tokenizer, codec, session: await LmSession.create(files.lm, config, { intraOpNumThreads: other }) });
  const engines = { [threads]: engine, [other]: otherEngine };
  console.log('\nexperiment: ORT intra-op threads (ms per call, median)');
  for (const n of [1, 4]) {
    const line = [];
    for (const [t, e] of Object.entries(engines)) line.push(`${t} thread${t === '1' ? '' : 's'} ${(await timeEngine(n, e)).timed[0].ms.toFixed(1)}`);
    console.log(`  N=${n}: ${line.join(', ')}`);
  }
  await otherEngine.close();
}
await baseline?.close();
await engine.close();
if (!(codec instanceof BlockCodec)) await codec.close?.();
