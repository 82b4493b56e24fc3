/**
 * Leaner tfjs-node kernels for the course's small tensors, each computing exactly what tfjs-node's own
 * kernel computes (the same TensorFlow op on the same inputs, or the same values by construction).
 *
 * tfjs-node 4.22 runs an op for ≈ 9 µs of TensorFlow eager time, but its Reshape, Sum and Mean first
 * make a tfjs tensor of the shape or axes (through the whole engine, then uploaded), which brought
 * Reshape to ≈ 50 µs; and its Step (the gradient of relu and abs) builds six tfjs ops and five tensors
 * (≈ 190 µs). Here:
 * - Reshape to the same shape returns its input (one more reference, as tfjs's cpu backend does);
 *   otherwise TensorFlow's Reshape runs with the shape as a TensorFlow tensor kept from earlier calls;
 * - Sum and Mean run TensorFlow's Sum and Mean with their axes kept the same way;
 * - Step(x, α) = x where x is NaN, else 1 where x > 0, else α: IsNan, Greater, two SelectV2 with
 *   constant scalars, instead of tfjs-node's isNaN, greater, where, ones, fill and Select.
 * The kept constants are TensorFlow tensors that tfjs does not track (they never count in
 * tf.memory()); at most MAX_KEPT of them, a few hundred bytes in all. Other dtypes and every case not
 * listed go to tfjs-node's own kernel.
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-node's native binding used here. */
interface OpAttr {
  name: string;
  type: number;
  value: number | boolean;
}
interface OutputMetadata {
  id: number;
  shape: number[];
  dtype: number;
}
interface Binding {
  TF_FLOAT: number;
  TF_INT32: number;
  TF_ATTR_TYPE: number;
  TF_ATTR_BOOL: number;
  createTensor(shape: number[], dtype: number, values: Float32Array | Int32Array): number;
  deleteTensor(id: number): void;
  executeOp(name: string, attrs: OpAttr[], inputIds: number[], numOutputs: number): OutputMetadata[];
}
interface NodeBackend {
  binding: Binding;
  getInputTensorIds(tensors: tf.TensorInfo[]): number[];
  createOutputTensor(metadata: OutputMetadata): tf.Tensor;
  incRef(dataId: tf.DataId): void;
}

/** How many constant TensorFlow tensors (shapes, axes, scalars) are kept; beyond it each is made and freed per call. */
export const MAX_KEPT = 256;

/** Marks a kernel config registered here; `original` is tfjs-node's own. */
const MARK = 'dlOptimizationOriginal';

/** Constant native tensors by key, per binding. */
const kept = new WeakMap<Binding, Map<string, number>>();

/** A native tensor for a constant: kept (made once) when there is room, else made for this call and freed by `done`. */
function constant(binding: Binding, key: string, make: () => number): { id: number; done(): void } {
  let map = kept.get(binding);
  if (!map) kept.set(binding, (map = new Map()));
  const id = map.get(key);
  if (id !== undefined) return { id, done() {} };
  const made = make();
  if (map.size < MAX_KEPT) {
    map.set(key, made);
    return { id: made, done() {} };
  }
  return { id: made, done: () => binding.deleteTensor(made) };
}

/** An int32 vector constant (a shape or a list of axes). */
function int32Vector(binding: Binding, values: number[]): { id: number; done(): void } {
  return constant(binding, `i32:${values.join(',')}`, () => binding.createTensor([values.length], binding.TF_INT32, Int32Array.from(values)));
}

/** A float32 scalar constant. */
function float32Scalar(binding: Binding, value: number): { id: number; done(): void } {
  return constant(binding, `f32:${Object.is(value, -0) ? '-0' : value}`, () => binding.createTensor([], binding.TF_FLOAT, Float32Array.of(value)));
}

const typeAttr = (binding: Binding, name: string, dtype: number): OpAttr => ({ name, type: binding.TF_ATTR_TYPE, value: dtype });

/** Runs one TensorFlow op on native ids and returns its single output as a tfjs tensor. */
function run(backend: NodeBackend, op: string, attrs: OpAttr[], ids: number[]): tf.Tensor {
  return backend.createOutputTensor(backend.binding.executeOp(op, attrs, ids, 1)[0]);
}

/** reshape(x, shape): x itself when the shape does not change, else TensorFlow's Reshape with a kept shape tensor. */
const reshape = (own: tf.KernelConfig): tf.KernelFunc => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  const backend = args.backend as unknown as NodeBackend;
  const requested = (args.attrs as { shape: number[] }).shape;
  const shape = tf.util.inferFromImplicitShape(requested, tf.util.sizeFromShape(x.shape));
  if (shape.length === x.shape.length && shape.every((d, i) => d === x.shape[i])) {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return own.kernelFunc(args);
  const b = backend.binding;
  const shapeTensor = int32Vector(b, shape);
  try {
    const dtype = x.dtype === 'float32' ? b.TF_FLOAT : b.TF_INT32;
    return run(backend, 'Reshape', [typeAttr(b, 'T', dtype), typeAttr(b, 'Tshape', b.TF_INT32)], [...backend.getInputTensorIds([x]), shapeTensor.id]);
  } finally {
    shapeTensor.done();
  }
};

/** sum(x, axis, keepDims) or mean(...): TensorFlow's Sum or Mean with a kept axes tensor (float32 inputs). */
const reduce = (op: 'Sum' | 'Mean') => (own: tf.KernelConfig): tf.KernelFunc => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype !== 'float32') return own.kernelFunc(args);
  const backend = args.backend as unknown as NodeBackend;
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
  const b = backend.binding;
  const axes = int32Vector(b, tf.util.parseAxisParam(axis, x.shape));
  try {
    const attrs = [{ name: 'keep_dims', type: b.TF_ATTR_BOOL, value: !!keepDims }, typeAttr(b, 'T', b.TF_FLOAT), typeAttr(b, 'Tidx', b.TF_INT32)];
    return run(backend, op, attrs, [...backend.getInputTensorIds([x]), axes.id]);
  } finally {
    axes.done();
  }
};

/** step(x, α) = x where x is NaN, 1 where x > 0, α elsewhere (float32): IsNan, Greater, SelectV2, SelectV2. */
const step = (own: tf.KernelConfig): tf.KernelFunc => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype !== 'float32') return own.kernelFunc(args);
  const backend = args.backend as unknown as NodeBackend;
  const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
  const b = backend.binding;
  const [xId] = backend.getInputTensorIds([x]);
  const zero = float32Scalar(b, 0);
  const one = float32Scalar(b, 1);
  const a = float32Scalar(b, alpha);
  const T = [typeAttr(b, 'T', b.TF_FLOAT)];
  const made: number[] = [];
  try {
    const nan = b.executeOp('IsNan', T, [xId], 1)[0].id;
    made.push(nan);
    const positive = b.executeOp('Greater', T, [xId, zero.id], 1)[0].id;
    made.push(positive);
    const steps = b.executeOp('SelectV2', T, [positive, one.id, a.id], 1)[0].id;
    made.push(steps);
    return run(backend, 'SelectV2', T, [nan, xId, steps]);
  } finally {
    for (const id of made) b.deleteTensor(id);
    zero.done();
    one.done();
    a.done();
  }
};

const LEANER: Record<string, (own: tf.KernelConfig) => tf.KernelFunc> = {
  [tf.Reshape]: reshape,
  [tf.Sum]: reduce('Sum'),
  [tf.Mean]: reduce('Mean'),
  [tf.Step]: step,
};

/** Registers the leaner Reshape, Sum, Mean and Step for tfjs-node's `tensorflow` backend (once; later calls do nothing). */
export function registerLeanerTensorflowKernels(backendName = 'tensorflow'): void {
  for (const [name, make] of Object.entries(LEANER)) {
    const own = tf.getKernel(name, backendName);
    if (!own || MARK in own) continue;
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({ ...own, kernelFunc: make(own), [MARK]: own } as tf.KernelConfig);
  }
}

/** tfjs-node's own kernel for `name` when a leaner one replaced it (for tests and benchmarks), else undefined. */
export function replacedTensorflowKernel(name: string, backendName = 'tensorflow'): tf.KernelConfig | undefined {
  const k = tf.getKernel(name, backendName) as (tf.KernelConfig & { [MARK]?: tf.KernelConfig }) | undefined;
  return k?.[MARK];
}
