// The float32 matrix product C = A · B for the three layouts of the Backend
// interface (NN, NT, TN), blocked for the cache in the way of Goto and van de
// Geijn: a kc x nc block of B and an mc x kc block of A are packed into
// contiguous panels (so each layout needs only its own packing routine), and a
// register-blocked SIMD micro-kernel (5 x 8 with fused multiply-add, 4 x 8
// without) does the arithmetic. The micro-kernel is bound by the CPU's floating-point ports,
// so its shape is chosen to keep every accumulator, the two B vectors and the
// A broadcast in the sixteen SIMD registers of x86-64 with nothing spilled.
// Built twice (scripts/build-wasm.mjs): the plain variant multiplies and adds
// (two roundings), the relaxed-SIMD variant uses f32x4.relaxed_madd, a fused
// multiply-add where the hardware has one (one rounding, about 20% faster
// here); everything else, summation order included, is the same in both.

/**
 * c + a·b: fused (rounded once) by relaxed_madd in the relaxed-SIMD build
 * where the hardware has FMA, else a multiply and an add (rounded twice).
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * Rows of A per micro-kernel call: 5 with fused multiply-add (ten
 * accumulators, see microKernel5x8), 4 without (the multiply needs a register
 * of its own, and a fifth row would spill).
 */
const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 5 : 4;
/** Columns of B per micro-kernel call (two f32x4 vectors). */
const NR: i32 = 8;
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

/**
 * Packs A[i0:i0+mc, p0:p0+kc] with A[i, p] = a[i*lda + p] (A stored row-major)
 * into MR-row panels: panel q holds, for each p, the MR values A[i0+q*MR+r, p].
 * Rows past the matrix are zero.
 */
function packARows(dst: usize, a: usize, lda: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    for (let r = 0; r < MR; r++) {
      let d = dst + (<usize>r << 2);
      if (r < mr) {
        let src = a + ((<usize>(i0 + ir + r) * lda + p0) << 2);
        for (let p = 0; p < kc; p++) {
          store<f32>(d, load<f32>(src));
          src += 4;
          d += MR << 2;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          store<f32>(d, 0);
          d += MR << 2;
        }
      }
    }
    dst += <usize>(MR * kc) << 2;
  }
}

/** Packs the same block as `packARows` when A is stored transposed: A[i, p] = a[p*lda + i]. */
function packACols(dst: usize, a: usize, lda: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
  const step = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    let src = a + ((<usize>p0 * lda + i0 + ir) << 2);
    if (mr == MR) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        if (MR == 5) store<f32>(dst, load<f32>(src, 16), 16);
        src += step;
        dst += MR << 2;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < mr ? load<f32>(src + (<usize>r << 2)) : 0);
        src += step;
        dst += MR << 2;
      }
    }
  }
}

/**
 * Packs B[p0:p0+kc, j0:j0+nc] with B[p, j] = b[p*ldb + j] (B stored row-major)
 * into NR-column panels: panel q holds, for each p, the NR values
 * B[p, j0+q*NR+c]. Columns past the matrix are zero. Four rows at a time,
 * each read front to back: reading down one panel instead touches kc lines a
 * row apart, which for a row of 4 KiB (1024 columns) all fall in one set of
 * the L1 cache and evict each other (this order is 5-10% faster on NN there).
 */
function packBRows(dst: usize, b: usize, ldb: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  const full = nc & ~(NR - 1);
  const panelBytes = <usize>(NR * kc) << 2;
  const rowBytes = <usize>ldb << 2;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const src = b + ((<usize>(p0 + p) * ldb + j0) << 2);
    let d = dst + (<usize>(p * NR) << 2);
    for (let jr = 0; jr < full; jr += NR) {
      const s = src + (<usize>jr << 2);
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
      v128.store(d, v128.load(s + rowBytes), 32);
      v128.store(d, v128.load(s + rowBytes, 16), 48);
      v128.store(d, v128.load(s + 2 * rowBytes), 64);
      v128.store(d, v128.load(s + 2 * rowBytes, 16), 80);
      v128.store(d, v128.load(s + 3 * rowBytes), 96);
      v128.store(d, v128.load(s + 3 * rowBytes, 16), 112);
      d += panelBytes;
    }
  }
  for (; p < kc; p++) {
    const src = b + ((<usize>(p0 + p) * ldb + j0) << 2);
    let d = dst + (<usize>(p * NR) << 2);
    for (let jr = 0; jr < full; jr += NR) {
      const s = src + (<usize>jr << 2);
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
      d += panelBytes;
    }
  }
  if (full < nc) {
    const nr = nc - full;
    for (let q = 0; q < kc; q++) {
      const s = b + ((<usize>(p0 + q) * ldb + j0 + full) << 2);
      const d = dst + <usize>full * (<usize>kc << 2) + (<usize>(q * NR) << 2);
      for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), c < nr ? load<f32>(s + (<usize>c << 2)) : 0);
    }
  }
}

/** Packs the same block as `packBRows` when B is stored transposed: B[p, j] = b[j*ldb + p]; 4 x 4 SIMD transposes. */
function packBCols(dst: usize, b: usize, ldb: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  const rs = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    if (nr == NR) {
      for (let c = 0; c < NR; c += 4) {
        let s = b + ((<usize>(j0 + jr + c) * ldb + p0) << 2);
        let d = dst + (<usize>c << 2);
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const r0 = v128.load(s);
          const r1 = v128.load(s + rs);
          const r2 = v128.load(s + 2 * rs);
          const r3 = v128.load(s + 3 * rs);
          const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
          const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
          v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), NR << 2);
          v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), NR << 3);
          v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), (NR << 3) + (NR << 2));
          s += 16;
          d += NR << 4;
        }
        for (; p < kc; p++) {
          store<f32>(d, load<f32>(s));
          store<f32>(d, load<f32>(s + rs), 4);
          store<f32>(d, load<f32>(s + 2 * rs), 8);
          store<f32>(d, load<f32>(s + 3 * rs), 12);
          s += 4;
          d += NR << 2;
        }
      }
    } else {
      for (let c = 0; c < NR; c++) {
        let d = dst + (<usize>c << 2);
        if (c < nr) {
          let s = b + ((<usize>(j0 + jr + c) * ldb + p0) << 2);
          for (let p = 0; p < kc; p++) {
            store<f32>(d, load<f32>(s));
            s += 4;
            d += NR << 2;
          }
        } else {
          for (let p = 0; p < kc; p++) {
            store<f32>(d, 0);
            d += NR << 2;
          }
        }
      }
    }
    dst += <usize>(NR * kc) << 2;
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
