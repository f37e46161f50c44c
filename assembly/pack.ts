// Packing for the matrix product (assembly/gemm.ts): copies a block of A into
// MR-row panels and a block of B into NR-column panels, contiguous in the
// order the micro-kernel reads them, one routine per storage order (row-major
// or transposed), so the three layouts share one micro-kernel.

import { MR, NR } from "./tile";

/**
 * One panel of `lanes` values per step for kc steps, the first `valid` read
 * from memory and the rest zero: lane l of step p is at src + l·laneStride +
 * p·stepStride (bytes). It packs A's rows in packARows, and the partial panels
 * (a matrix's last rows or columns) of the other three routines.
 */
function packPanel(dst: usize, src: usize, lanes: i32, valid: i32, laneStride: usize, stepStride: usize, kc: i32): void {
  for (let p = 0; p < kc; p++) {
    for (let l = 0; l < lanes; l++) store<f32>(dst + (<usize>l << 2), l < valid ? load<f32>(src + <usize>l * laneStride) : 0);
    src += stepStride;
    dst += <usize>lanes << 2;
  }
}

/**
 * Packs A[i0:i0+mc, p0:p0+kc] with A[i, p] = a[i*lda + p] (A stored row-major)
 * into MR-row panels: panel q holds, for each p, the MR values A[i0+q*MR+r, p].
 * Rows past the matrix are zero. (Reading MR rows side by side; a vectorized
 * transpose measured no faster: A is the small operand.)
 */
export function packARows(dst: usize, a: usize, lda: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
  for (let ir = 0; ir < mc; ir += MR) {
    packPanel(dst, a + ((<usize>(i0 + ir) * lda + p0) << 2), MR, min(MR, mc - ir), <usize>lda << 2, 4, kc);
    dst += <usize>(MR * kc) << 2;
  }
}

/** Packs the same block as `packARows` when A is stored transposed: A[i, p] = a[p*lda + i]. */
export function packACols(dst: usize, a: usize, lda: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
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
      packPanel(dst, src, MR, mr, 4, step, kc);
      dst += <usize>(MR * kc) << 2;
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
export function packBRows(dst: usize, b: usize, ldb: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  const full = nc & ~(NR - 1);
  const panelBytes = <usize>(NR * kc) << 2;
  const rowBytes = <usize>ldb << 2;
  const whole = kc & ~3;
  for (let p = 0; p < whole; p += 4) {
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
  // The last kc % 4 rows of the whole panels, and every row of a partial last panel.
  for (let jr = 0; jr < nc; jr += NR) {
    const p = jr < full ? whole : 0;
    if (p < kc) packPanel(dst + <usize>jr * (<usize>kc << 2) + (<usize>(p * NR) << 2), b + ((<usize>(p0 + p) * ldb + j0 + jr) << 2), NR, min(NR, nc - jr), 4, rowBytes, kc - p);
  }
}

/** Packs the same block as `packBRows` when B is stored transposed: B[p, j] = b[j*ldb + p]; 4 x 4 SIMD transposes. */
export function packBCols(dst: usize, b: usize, ldb: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
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
      packPanel(dst, b + ((<usize>(j0 + jr) * ldb + p0) << 2), NR, nr, rs, 4, kc);
    }
    dst += <usize>(NR * kc) << 2;
  }
}

