/**
 * Weight-space symmetry of a one-hidden-layer MLP ŷ = φ(x W₁ + b₁) W₂ + b₂ (D2L §11.1, exercise 1):
 * relabelling the d hidden units by a permutation π moves column π(j) of W₁, entry π(j) of b₁ and
 * row π(j) of W₂ to position j and leaves every output unchanged, so each parameter vector has d!
 * equivalent copies (distinct when the units differ). Plain arrays, no tensors.
 */

/** The parameters of a one-hidden-layer MLP: W1 is in×d, b1 has d entries, W2 is d×out, b2 has out entries. */
export interface OneHiddenLayer {
  W1: number[][];
  b1: number[];
  W2: number[][];
  b2: number[];
}

/** Largest n for which permutations(n) lists all n! orders (8! = 40320). */
export const MAX_PERMUTATION_N = 8;

/** All n! permutations of [0, n) in lexicographic order (depth-first: each position takes the smallest unused index first). */
export function permutations(n: number): number[][] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_PERMUTATION_N) {
    throw new Error(`n must be an integer in [0, ${MAX_PERMUTATION_N}] (n! permutations are listed); got ${n}`);
  }
  const out: number[][] = [];
  const used = new Array<boolean>(n).fill(false);
  const cur: number[] = [];
  const rec = (): void => {
    if (cur.length === n) {
      out.push(cur.slice());
      return;
    }
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      used[i] = true;
      cur.push(i);
      rec();
      cur.pop();
      used[i] = false;
    }
  };
  rec();
  return out;
}

function checkMatrix(M: unknown, rows: number | undefined, what: string): number[][] {
  if (!Array.isArray(M) || M.length === 0) throw new Error(`${what} must be a non-empty matrix (array of rows); got ${String(M)}`);
  if (rows !== undefined && M.length !== rows) throw new Error(`${what} must have ${rows} rows; got ${M.length}`);
  const cols = Array.isArray(M[0]) ? M[0].length : -1;
  M.forEach((r: unknown, i: number) => {
    if (!Array.isArray(r) || r.length !== cols || cols < 1) throw new Error(`${what}[${i}] must be a row of ${cols} numbers; got ${Array.isArray(r) ? `${r.length} entries` : String(r)}`);
    r.forEach((v: unknown, j: number) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what}[${i}][${j}] must be a finite number; got ${String(v)}`);
    });
  });
  return M as number[][];
}

function checkVector(v: unknown, n: number, what: string): number[] {
  if (!Array.isArray(v) || v.length !== n) throw new Error(`${what} must have ${n} entries; got ${Array.isArray(v) ? v.length : String(v)}`);
  v.forEach((x: unknown, i: number) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${what}[${i}] must be a finite number; got ${String(x)}`);
  });
  return v as number[];
}

/**
 * The parameters with the hidden units relabelled by π: W₁′[:, j] = W₁[:, π(j)], b₁′_j = b₁_π(j),
 * W₂′[j, :] = W₂[π(j), :], b₂′ = b₂; the network computes the same function.
 */
export function permuteHiddenUnits(params: OneHiddenLayer, perm: number[]): OneHiddenLayer {
  if (params === null || typeof params !== 'object') throw new Error(`params must be {W1, b1, W2, b2}; got ${String(params)}`);
  const W1 = checkMatrix(params.W1, undefined, 'W1');
  const d = W1[0].length;
  const b1 = checkVector(params.b1, d, 'b1');
  const W2 = checkMatrix(params.W2, d, 'W2');
  const b2 = checkVector(params.b2, W2[0].length, 'b2');
  if (!Array.isArray(perm) || perm.length !== d || new Set(perm).size !== d || !perm.every((p) => Number.isInteger(p) && p >= 0 && p < d)) {
    throw new Error(`perm must be a permutation of 0..${d - 1} (d = ${d} hidden units); got ${JSON.stringify(perm)}`);
  }
  return {
    // W₁′[i][j] = W₁[i][π(j)]
    W1: W1.map((row) => perm.map((p) => row[p])),
    // b₁′_j = b₁_π(j)
    b1: perm.map((p) => b1[p]),
    // W₂′[j] = W₂[π(j)]
    W2: perm.map((p) => W2[p].slice()),
    b2: b2.slice(),
  };
}
