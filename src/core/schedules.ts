/**
 * Learning-rate schedules: functions of the step k = 0, 1, 2, … (the k-th update uses ε_k).
 * Pass one to `minimize(…, { schedule })`; it reaches the optimizer as update(…, { lr: ε_k }).
 *
 * The lecture's rule (Goodfellow et al. §8.3.1, slide "SGD-Learning Rate ε_k") is `linearDecay`:
 * decay linearly until iteration τ, then keep ε_τ ≈ ε₀/100.
 */
import { nonNegative, positive, positiveInt, show } from './validate';

/** A schedule k ↦ ε_k (k a non-negative integer) with a label for legends. */
export interface Schedule {
  (k: number): number;
  label: string;
}

function checkStep(k: unknown): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0) throw new Error(`k must be a non-negative integer (the step); got ${show(k)}`);
  return k;
}

function make(label: string, f: (k: number) => number): Schedule {
  const s = ((k: number) => f(checkStep(k))) as Schedule;
  s.label = label;
  return s;
}

/** ε_k = ε (a constant learning rate). */
export function constant(lr: number): Schedule {
  positive(lr, 'lr');
  return make(`constant ${lr}`, () => lr);
}

/** Options of linearDecay: ε₀, τ and ε_τ (default ε₀/100, as the lecture recommends). */
export interface LinearDecayOptions {
  lr0: number;
  tau: number;
  lrTau?: number;
}

/** ε_k = (1 − α)ε₀ + αε_τ with α = k/τ for k ≤ τ, and ε_k = ε_τ after τ (Goodfellow §8.3.1). */
export function linearDecay(options: LinearDecayOptions): Schedule {
  const lr0 = positive(options?.lr0, 'lr0');
  const tau = positive(options.tau, 'tau');
  const lrTau = nonNegative(options.lrTau ?? lr0 / 100, 'lrTau');
  return make(`linear decay ${lr0} → ${lrTau} at τ = ${tau}`, (k) => {
    // α = k/τ, held at 1 after τ
    const alpha = Math.min(k / tau, 1);
    // ε_k = (1 − α)ε₀ + αε_τ
    return (1 - alpha) * lr0 + alpha * lrTau;
  });
}

/** Options of inverseTime: ε₀, the rate β (default 1) and the power p (default 1). */
export interface InverseTimeOptions {
  lr0: number;
  decay?: number;
  power?: number;
}

/** ε_k = ε₀ (1 + βk)^(−p); with β = p = 1 the 1/t decay ε₀/(1 + k) (d2l §12.11 polynomial decay). */
export function inverseTime(options: InverseTimeOptions): Schedule {
  const lr0 = positive(options?.lr0, 'lr0');
  const decay = positive(options.decay ?? 1, 'decay');
  const power = positive(options.power ?? 1, 'power');
  return make(`inverse time ${lr0}/(1 + ${decay}k)^${power}`, (k) =>
    // ε_k = ε₀ (1 + βk)^(−p)
    lr0 * Math.pow(1 + decay * k, -power),
  );
}

/** Options of exponential: ε₀ and the factor γ ∈ (0, 1] per step. */
export interface ExponentialOptions {
  lr0: number;
  gamma: number;
}

/** ε_k = ε₀ γᵏ (torch ExponentialLR). */
export function exponential(options: ExponentialOptions): Schedule {
  const lr0 = positive(options?.lr0, 'lr0');
  const gamma = options.gamma;
  if (typeof gamma !== 'number' || !(gamma > 0 && gamma <= 1)) throw new Error(`gamma must be in (0, 1]; got ${show(gamma)}`);
  return make(`exponential ${lr0}·${gamma}^k`, (k) =>
    // ε_k = ε₀ γᵏ
    lr0 * Math.pow(gamma, k),
  );
}

/** Options of stepDecay: ε₀, the period s (steps) and the factor γ ∈ (0, 1] (default 0.1). */
export interface StepDecayOptions {
  lr0: number;
  stepSize: number;
  gamma?: number;
}

/** ε_k = ε₀ γ^⌊k/s⌋: piecewise constant, divided by 1/γ every s steps (torch StepLR). */
export function stepDecay(options: StepDecayOptions): Schedule {
  const lr0 = positive(options?.lr0, 'lr0');
  const stepSize = positiveInt(options.stepSize, 'stepSize');
  const gamma = options.gamma ?? 0.1;
  if (typeof gamma !== 'number' || !(gamma > 0 && gamma <= 1)) throw new Error(`gamma must be in (0, 1]; got ${show(gamma)}`);
  return make(`step ${lr0}·${gamma}^⌊k/${stepSize}⌋`, (k) =>
    // ε_k = ε₀ γ^⌊k/s⌋
    lr0 * Math.pow(gamma, Math.floor(k / stepSize)),
  );
}

/** Options of cosine: ε₀, the length T and the floor ε_min (default 0). */
export interface CosineOptions {
  lr0: number;
  tMax: number;
  lrMin?: number;
}

/** ε_k = ε_min + (ε₀ − ε_min)(1 + cos(πk/T))/2 for k ≤ T, ε_min after (torch CosineAnnealingLR, no restart). */
export function cosine(options: CosineOptions): Schedule {
  const lr0 = positive(options?.lr0, 'lr0');
  const tMax = positive(options.tMax, 'tMax');
  const lrMin = nonNegative(options.lrMin ?? 0, 'lrMin');
  if (lrMin > lr0) throw new Error(`lrMin must be ≤ lr0 (${lr0}); got ${lrMin}`);
  return make(`cosine ${lr0} → ${lrMin} over ${tMax}`, (k) =>
    k >= tMax
      ? lrMin
      : // ε_k = ε_min + (ε₀ − ε_min)(1 + cos(πk/T))/2
        lrMin + ((lr0 - lrMin) * (1 + Math.cos((Math.PI * k) / tMax))) / 2,
  );
}

/** Options of linearWarmup: W warm-up steps, the schedule that follows (or a constant), the start factor s. */
export interface LinearWarmupOptions {
  warmup: number;
  /** The schedule after warm-up, started at its own step 0 when k = W (a number means constant). */
  after: ((k: number) => number) | number;
  /** ε_0 = s · ε_after(0) (default 0). */
  startFactor?: number;
}

/** ε_k = ε′(0)(s + (1 − s)k/W) for k < W, then ε_k = ε′(k − W): a linear ramp before another schedule ε′. */
export function linearWarmup(options: LinearWarmupOptions): Schedule {
  const warmup = positiveInt(options?.warmup, 'warmup');
  const after = typeof options.after === 'number' ? constant(options.after) : options.after;
  if (typeof after !== 'function') throw new Error(`after must be a schedule (k => ε_k) or a number; got ${show(options.after)}`);
  const s = options.startFactor ?? 0;
  if (typeof s !== 'number' || !(s >= 0 && s <= 1)) throw new Error(`startFactor must be in [0, 1]; got ${show(s)}`);
  const inner = (k: number): number => {
    const v = after(k);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`after(${k}) must return a finite number ≥ 0; got ${show(v)}`);
    return v;
  };
  const afterLabel = (after as Partial<Schedule>).label ?? 'schedule';
  return make(`${warmup} warm-up steps, then ${afterLabel}`, (k) =>
    k < warmup
      ? // ε_k = ε′(0) (s + (1 − s) k/W)
        inner(0) * (s + ((1 - s) * k) / warmup)
      : // ε_k = ε′(k − W)
        inner(k - warmup),
  );
}

/** [ε_0, …, ε_{n−1}]: a schedule's values for plotting. */
export function scheduleValues(schedule: (k: number) => number, n: number): number[] {
  if (typeof schedule !== 'function') throw new Error(`schedule must be a function k => ε_k; got ${show(schedule)}`);
  positiveInt(n, 'n');
  return Array.from({ length: n }, (_, k) => schedule(k));
}
