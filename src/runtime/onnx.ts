/**
 * The one place that chooses the ONNX runtime: onnxruntime-node under Node, onnxruntime-web in a
 * browser (or under Node when asked: `TESSERA_ORT=web`, or `{ runtime: 'web' }`). Everything above
 * imports sessions and tensors through here and stays runtime-agnostic. The packages are imported
 * lazily, so code that never runs a model never loads the native binding.
 *
 * @example
 *   const session = await createSession('models/vq/decoder.onnx', { intraOpNumThreads: 2 });
 *   const codes = tensor('int32', new Int32Array(256), [1, 16, 16]);
 *   const { image } = await session.run({ codes });
 */
import type * as Ort from 'onnxruntime-node';

/** Both packages re-export onnxruntime-common, so one set of types serves both. */
export type OnnxRuntime = typeof Ort;
export type OnnxSession = Ort.InferenceSession;
export type OnnxTensor = Ort.Tensor;
export type OnnxSessionOptions = Ort.InferenceSession.SessionOptions;
export type RuntimeName = 'node' | 'web';

export interface CreateSessionOptions extends OnnxSessionOptions {
  /** Which package runs the model; defaults to `defaultRuntime()`. */
  runtime?: RuntimeName;
}

/** The one error type of the runtime layer: a model that cannot be loaded or run. */
export class OnnxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnnxError';
  }
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
const loaded = new Map<RuntimeName, OnnxRuntime>();
const loading = new Map<RuntimeName, Promise<OnnxRuntime>>();

/** 'node' under Node (unless TESSERA_ORT=web), 'web' elsewhere. */
export function defaultRuntime(): RuntimeName {
  if (!isNode) return 'web';
  return process.env.TESSERA_ORT === 'web' ? 'web' : 'node';
}

/** The runtime module, imported once per name. */
export function onnxRuntime(name: RuntimeName = defaultRuntime()): Promise<OnnxRuntime> {
  let pending = loading.get(name);
  if (!pending) {
    const load = name === 'node' ? import('onnxruntime-node') : (import('onnxruntime-web') as unknown as Promise<OnnxRuntime>);
    pending = load.then((ort) => {
      if (name === 'web' && isNode) ort.env.wasm.numThreads = 1; // worker threads need a served page
      loaded.set(name, ort);
      return ort;
    });
    loading.set(name, pending);
  }
  return pending;
}

/** A session for one .onnx file: a path under Node, a URL in a browser, or the file's bytes. */
export async function createSession(model: string | Uint8Array, options: CreateSessionOptions = {}): Promise<OnnxSession> {
  const { runtime, ...rest } = options;
  const ort = await onnxRuntime(runtime);
  const sessionOptions = { ...rest, extra: mergeExtra(NO_SPINNING, rest.extra) };
  try {
    return typeof model === 'string'
      ? await ort.InferenceSession.create(model, sessionOptions)
      : await ort.InferenceSession.create(model, sessionOptions);
  } catch (error) {
    const what = typeof model === 'string' ? model : `${model.byteLength} bytes`;
    throw new OnnxError(`cannot load ONNX model ${what}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Intra-op worker threads sleep instead of spinning between ops. Spinning wins a little on an idle
 * machine and loses badly on a busy one: on a shared 2-core box, a tiny decoder's median went from
 * 1.7 ms to 18 ms with spinning. Callers can set it back with extra.session.intra_op.allow_spinning.
 */
const NO_SPINNING = { session: { intra_op: { allow_spinning: '0' } } };

function mergeExtra(base: Record<string, unknown>, over: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over ?? {})) {
    const prev = out[key];
    const bothObjects = typeof value === 'object' && value !== null && typeof prev === 'object' && prev !== null;
    out[key] = bothObjects ? mergeExtra(prev as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

type TensorData = {
  float32: Float32Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  bool: Uint8Array;
};

/**
 * A tensor of the given runtime (default: the default runtime). Synchronous, so the runtime must be
 * loaded already, which `createSession` does; otherwise call `await onnxRuntime()` first.
 */
export function tensor<T extends keyof TensorData>(type: T, data: TensorData[T], dims: readonly number[], runtime: RuntimeName = defaultRuntime()): OnnxTensor {
  const ort = loaded.get(runtime);
  if (!ort) throw new OnnxError(`the ${runtime} ONNX runtime is not loaded yet: create a session or await onnxRuntime() first`);
  return new ort.Tensor(type, data, dims);
}
