// The register tile of the matrix product's micro-kernel (assembly/gemm.ts),
// which the packing routines (assembly/pack.ts) lay their panels out for.

/**
 * Rows of A per micro-kernel call: 5 with fused multiply-add (ten
 * accumulators, see microKernel5x8), 4 without (the multiply needs a register
 * of its own, and a fifth row would spill).
 */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 5 : 4;
/** Columns of B per micro-kernel call (two f32x4 vectors). */
export const NR: i32 = 8;
