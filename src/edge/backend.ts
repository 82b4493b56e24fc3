/**
 * Which tfjs backend runs the course, and a one-line report of it.
 *
 * Order of preference: `tensorflow` (@tensorflow/tfjs-node, when it is installed: on students'
 * laptops by npm's own install; on linux-x64 machines that cannot reach Google's storage by
 * `npm run native`, from PyPI's TensorFlow), then `wasm` (@tensorflow/tfjs-backend-wasm), then `cpu`
 * (pure JS, always there).
 * `DLOPT_BACKEND=node|wasm|cpu` forces one; forcing one that cannot load is an error.
 *
 * Optional packages are loaded with `require` inside functions, so this module imports nothing
 * but tfjs at load time (the numeric core stays browser-friendly).
 */
import * as tf from '@tensorflow/tfjs';
import { registerLeanerTensorflowKernels } from './tensorflow-kernels';

/** A backend name as the user writes it (`node` is tfjs-node, registered by tfjs as `tensorflow`). */
export type BackendChoice = 'node' | 'wasm' | 'cpu';

/** What ran: the tfjs backend name, versions, and why it was chosen. */
export interface BackendReport {
  backend: string;
  tfjs: string;
  node: string;
  forced: boolean;
  /** Backends tried before this one and why each was not used. */
  skipped: { backend: BackendChoice; reason: string }[];
}

const TFJS_BACKEND_NAME: Record<BackendChoice, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };
const ORDER: BackendChoice[] = ['node', 'wasm', 'cpu'];

let report: BackendReport | undefined;
let pending: Promise<BackendReport> | undefined;

function parseChoice(value: string | undefined): BackendChoice | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'tensorflow' || v === 'tfjs-node') return 'node';
  if (v === 'node' || v === 'wasm' || v === 'cpu') return v;
  throw new Error(`DLOPT_BACKEND must be one of node, wasm, cpu; got ${JSON.stringify(value)}`);
}

function envValue(name: string): string | undefined {
  return typeof process !== 'undefined' && process.env ? process.env[name] : undefined;
}

async function tryBackend(choice: BackendChoice): Promise<string | undefined> {
  try {
    if (choice === 'node') {
      // TensorFlow reads this when its library loads: INFO lines (CPU-feature notes) off, warnings kept.
      if (process.env.TF_CPP_MIN_LOG_LEVEL === undefined) process.env.TF_CPP_MIN_LOG_LEVEL = '1';
      // Registers the 'tensorflow' backend with the shared tfjs engine when present (here: `npm run native`).
      require('@tensorflow/tfjs-node');
    } else if (choice === 'wasm') {
      require('@tensorflow/tfjs-backend-wasm');
    }
    if (choice !== 'cpu') castToSameDtypeWithoutOp(TFJS_BACKEND_NAME[choice]);
    if (choice === 'node') registerLeanerTensorflowKernels(TFJS_BACKEND_NAME[choice]);
    const ok = await tf.setBackend(TFJS_BACKEND_NAME[choice]);
    if (!ok) return 'tf.setBackend returned false';
    await tf.ready();
    if (choice === 'cpu') {
      // The cpu backend prints a "install tfjs-node" banner on first use; the report says it instead.
      (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
    }
    return undefined;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return msg;
  }
}

/**
 * Registers, for `backendName`, a Cast kernel that returns its input when the dtype does not change:
 * cast(x, x.dtype) = x (the same data, one more reference, as tfjs's cpu backend does), and the
 * backend's own Cast otherwise. tfjs's gradients of mul and div cast their other input to float32 at
 * every backward pass (Multiply_grad); tfjs-node ran each of those as a TensorFlow op (≈ 20 µs apiece),
 * wasm as a copy.
 */
export function castToSameDtypeWithoutOp(backendName: string): void {
  const own = tf.getKernel(tf.Cast, backendName);
  if (!own || (own as { dlOptimizationSameDtype?: boolean }).dlOptimizationSameDtype) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const dtype = (args.attrs as { dtype?: tf.DataType } | undefined)?.dtype;
    if (dtype === x.dtype) {
      (args.backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }
    return own.kernelFunc(args);
  };
  tf.unregisterKernel(tf.Cast, backendName);
  tf.registerKernel({ ...own, kernelFunc, dlOptimizationSameDtype: true } as tf.KernelConfig);
}

/**
 * Chooses and initialises the backend once (later calls return the same report).
 * `prefer` (or the DLOPT_BACKEND environment variable) forces a backend.
 */
export function initBackend(prefer?: BackendChoice): Promise<BackendReport> {
  const forcedChoice = prefer ?? parseChoice(envValue('DLOPT_BACKEND'));
  if (report && (!forcedChoice || report.backend === TFJS_BACKEND_NAME[forcedChoice])) {
    return Promise.resolve(report);
  }
  if (pending && !forcedChoice) return pending;
  pending = (async () => {
    const skipped: BackendReport['skipped'] = [];
    const candidates = forcedChoice ? [forcedChoice] : ORDER;
    for (const choice of candidates) {
      const why = await tryBackend(choice);
      if (why === undefined) {
        report = {
          backend: tf.getBackend(),
          tfjs: tf.version.tfjs,
          node: typeof process !== 'undefined' ? process.version : 'n/a',
          forced: forcedChoice !== undefined,
          skipped,
        };
        return report;
      }
      if (forcedChoice) {
        throw new Error(`backend ${JSON.stringify(forcedChoice)} was requested but could not load: ${why}`);
      }
      skipped.push({ backend: choice, reason: why });
    }
    throw new Error('no tfjs backend could be initialised: ' + skipped.map((s) => `${s.backend}: ${s.reason}`).join('; '));
  })();
  return pending;
}

/** The report of the backend chosen by `initBackend` (throws if it has not run). */
export function backendReport(): BackendReport {
  if (!report) throw new Error('initBackend() has not completed yet');
  return report;
}

/** One line for a notebook's first output, e.g. "backend wasm · tfjs 4.22.0 · node v20.20.2". */
export function formatBackendReport(r: BackendReport = backendReport()): string {
  const skipped = r.skipped.length
    ? ' (skipped ' + r.skipped.map((s) => `${s.backend}: ${s.reason.slice(0, 80)}`).join('; ') + ')'
    : '';
  return `backend ${r.backend}${r.forced ? ' (forced by DLOPT_BACKEND)' : ''} · tfjs ${r.tfjs} · node ${r.node}${skipped}`;
}
