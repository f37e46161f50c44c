// The float32 matrix product C = A · B for the three layouts of the Backend
// interface (NN, NT, TN), blocked for the cache in the way of Goto and van de
// Geijn: a kc x nc block of B and an mc x kc block of A are packed into
// contiguous panels (so each layout needs only its own packing routine), and a
// register-blocked SIMD micro-kernel (5 x 8 with fused multiply-add, 4 x 8
// without; assembly/tile.ts) does the arithmetic on them (packing:
// assembly/pack.ts). The micro-kernel is bound by the CPU's floating-point
// ports, so its shape keeps every accumulator, the B vectors and the A
// broadcasts in the SIMD registers V8 allocates on x86-64, with nothing
// spilled. Built twice (scripts/build-wasm.mjs): the plain variant multiplies
// and adds (two roundings, 4 x 8 tile), the relaxed-SIMD variant uses
// f32x4.relaxed_madd, a fused multiply-add where the hardware has one (one
// rounding, 5 x 8 tile, about 30% faster here); the summation order of every
// entry is the same in both.

import { packACols, packARows, packBCols, packBRows } from "./pack";
import { MR, NR } from "./tile";

/**
 * c + a·b: fused (rounded once) by relaxed_madd in the relaxed-SIMD build
 * where the hardware has FMA, else a multiply and an add (rounded twice).
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Largest block of rows of A packed at once (a multiple of both row tiles). */
const MC: i32 = 160;
/** Largest block of the inner dimension (the packed panels stay in L1/L2). */
const KC: i32 = 256;
/** Largest block of columns of B packed at once (a multiple of NR). */
const NC: i32 = 512;

/** Layouts: NN: C = A·B, NT: C = A·Bᵀ, TN: C = Aᵀ·B. */
export const LAYOUT_NN: i32 = 0;
export const LAYOUT_NT: i32 = 1;
export const LAYOUT_TN: i32 = 2;

const TILE_BYTES: usize = <usize>(MR * NR) << 2;
const APACK_BYTES: usize = <usize>(MC * KC) << 2;
const BPACK_BYTES: usize = <usize>(NC * KC) << 2;

/** Bytes of the scratch area `gemm` needs: one edge tile and the packed A and B blocks. */
export function gemmWorkspaceBytes(): usize {
  return TILE_BYTES + APACK_BYTES + BPACK_BYTES;
}

/** Rows of C one micro-kernel call computes: row ranges given to gemmRange are best multiples of it. */
export function gemmRowTile(): i32 {
  return MR;
}

/** Adds C's row at `p` to the accumulators (c0, c1) when `accumulate`, and stores them there. */
// @ts-ignore: decorator
@inline function storeRow(p: usize, c0: v128, c1: v128, accumulate: bool): void {
  if (accumulate) {
    c0 = f32x4.add(c0, v128.load(p));
    c1 = f32x4.add(c1, v128.load(p, 16));
  }
  v128.store(p, c0);
  v128.store(p, c1, 16);
}

/**
 * C[0:5, 0:8] (+)= Ap · Bp over kc steps, where Ap holds MR values of A per
 * step and Bp holds NR values of B per step. `ldc` is C's row stride in bytes;
 * with `accumulate` the product is added to C, else it overwrites C.
 *
 * Ten accumulators, because a fused multiply-add takes about four cycles and
 * two can start per cycle: eight chains (a 4 x 8 tile) leave the ports idle a
 * fifth of the time. V8 schedules a step's loads before its arithmetic, so a
 * broadcast per row (load32_splat) would hold five more registers and spill;
 * instead rows 0..3 come as one vector and are broadcast by lane shuffles,
 * which V8 places next to their use, and only row 4 is a broadcast load. The
 * loop then holds 10 accumulators, 2 B vectors, the A vector and one
 * broadcast: 14 of the 15 SIMD registers V8 allocates on x86-64, and no spill
 * (measured in L1: 61 GFLOPS against 52 for the 4 x 8 tile, one thread).
 */
// @ts-ignore: decorator
@inline function microKernel5x8(kc: i32, pa: usize, pb: usize, pc: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  const end = pa + <usize>kc * (MR << 2);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a4 = v128.load(pa);
    let a = i32x4.shuffle(a4, a4, 0, 0, 0, 0);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = i32x4.shuffle(a4, a4, 1, 1, 1, 1);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = i32x4.shuffle(a4, a4, 2, 2, 2, 2);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = i32x4.shuffle(a4, a4, 3, 3, 3, 3);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    a = v128.load32_splat(pa, 16);
    c40 = madd(a, b0, c40);
    c41 = madd(a, b1, c41);
    pa += MR << 2;
    pb += NR << 2;
  }
  storeRow(pc, c00, c01, accumulate);
  storeRow(pc + ldc, c10, c11, accumulate);
  storeRow(pc + 2 * ldc, c20, c21, accumulate);
  storeRow(pc + 3 * ldc, c30, c31, accumulate);
  storeRow(pc + 4 * ldc, c40, c41, accumulate);
}

/**
 * The 4 x 8 tile (eight accumulators) of the plain build, where a multiply and
 * an add replace the fused multiply-add and the product needs a register of
 * its own; the B vectors and four broadcast loads fit beside it.
 */
// @ts-ignore: decorator
@inline function microKernel4x8(kc: i32, pa: usize, pb: usize, pc: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = pa + (<usize>kc << 4);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += NR << 2;
  }
  storeRow(pc, c00, c01, accumulate);
  storeRow(pc + ldc, c10, c11, accumulate);
  storeRow(pc + 2 * ldc, c20, c21, accumulate);
  storeRow(pc + 3 * ldc, c30, c31, accumulate);
}

/**
 * C[0:MR, 0:NR] (+)= Ap · Bp over kc steps, where Ap holds MR values of A per
 * step and Bp holds NR values of B per step. `ldc` is C's row stride in bytes;
 * with `accumulate` the product is added to C, else it overwrites C.
 */
// @ts-ignore: decorator
@inline function microKernel(kc: i32, pa: usize, pb: usize, pc: usize, ldc: usize, accumulate: bool): void {
  if (MR == 5) microKernel5x8(kc, pa, pb, pc, ldc, accumulate);
  else microKernel4x8(kc, pa, pb, pc, ldc, accumulate);
}

/** The micro-kernel for a partial tile (mr < MR or nr < NR): computed into `tile`, then the valid part goes to C. */
function edgeKernel(kc: i32, pa: usize, pb: usize, pc: usize, ldc: usize, accumulate: bool, mr: i32, nr: i32, tile: usize): void {
  microKernel(kc, pa, pb, tile, <usize>NR << 2, false);
  for (let r = 0; r < mr; r++) {
    const row = pc + <usize>r * ldc;
    const src = tile + (<usize>(r * NR) << 2);
    for (let c = 0; c < nr; c++) {
      const q = row + (<usize>c << 2);
      const v = load<f32>(src + (<usize>c << 2));
      store<f32>(q, accumulate ? load<f32>(q) + v : v);
    }
  }
}

/** The block size for `total` split into equal blocks of at most `limit`, rounded up to a multiple of `unit`. */
function blockSize(total: i32, limit: i32, unit: i32): i32 {
  const blocks = (total + limit - 1) / limit;
  const size = (total + blocks - 1) / blocks;
  return min(limit, (size + unit - 1) / unit * unit);
}

/**
 * C = op(A) · op(B) with C m x n row-major and inner dimension k:
 * NN: A m x k, B k x n; NT: A m x k, B n x k; TN: A k x m, B k x n.
 * `a`, `b`, `c` and `work` are byte addresses; `work` holds
 * gemmWorkspaceBytes() bytes. C must not overlap A or B.
 */
export function gemm(layout: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, work: usize): void {
  gemmRange(layout, m, n, k, a, b, c, work, 0, m, 0, n);
}

/**
 * The block C[i0:i1, j0:j1] of the product `gemm` computes, for threads that
 * share one product (each with its own `work`). Every entry is computed the
 * same way whatever the block: its k-blocking depends on k alone, and each
 * k-block is summed in order into a fresh accumulator and then added to C, so
 * splitting a product across threads leaves the result bit for bit unchanged.
 */
export function gemmRange(layout: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, work: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  if (i1 <= i0 || j1 <= j0) return;
  const ldc = <usize>n << 2;
  if (k <= 0) {
    for (let i = i0; i < i1; i++) memory.fill(c + ((<usize>i * n + j0) << 2), 0, <usize>(j1 - j0) << 2);
    return;
  }
  const lda = layout == LAYOUT_TN ? m : k;
  const ldb = layout == LAYOUT_NT ? k : n;
  const tile = work;
  const ap = work + TILE_BYTES;
  const bp = ap + APACK_BYTES;
  const mcMax = blockSize(i1 - i0, MC, MR);
  const kcMax = blockSize(k, KC, 1);
  const ncMax = blockSize(j1 - j0, NC, NR);
  for (let jc = j0; jc < j1; jc += ncMax) {
    const nc = min(ncMax, j1 - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      const accumulate = pc > 0;
      if (layout == LAYOUT_NT) packBCols(bp, b, ldb, pc, kc, jc, nc);
      else packBRows(bp, b, ldb, pc, kc, jc, nc);
      for (let ic = i0; ic < i1; ic += mcMax) {
        const mc = min(mcMax, i1 - ic);
        if (layout == LAYOUT_TN) packACols(ap, a, lda, ic, mc, pc, kc);
        else packARows(ap, a, lda, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = bp + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const pa = ap + (<usize>(ir * kc) << 2);
            const pcc = c + ((<usize>(ic + ir) * n + jc + jr) << 2);
            if (mr == MR && nr == NR) microKernel(kc, pa, pb, pcc, ldc, accumulate);
            else edgeKernel(kc, pa, pb, pcc, ldc, accumulate, mr, nr, tile);
          }
        }
      }
    }
  }
}
