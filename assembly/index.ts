// Entry point of the WebAssembly kernels (compiled by scripts/build-wasm.mjs).
// Memory is managed from TypeScript: it asks for blocks of linear memory with
// `alloc` (the TLSF allocator of the AssemblyScript runtime, 16-byte aligned,
// growing memory by doubling) and passes byte addresses to the kernels, which
// never allocate.

export { gemm, gemmRange, gemmRowTile, gemmWorkspaceBytes } from "./gemm";
export { biasActivation, biasRelu, biasLeakyRelu, biasTanh, biasSigmoid, biasLinear, activationBackward, columnSums, applyMask, maskBulk } from "./elementwise";
export { sgdStep, momentumStep, adamStep } from "./optim";

/** A block of at least `bytes` bytes (16-byte aligned); may grow the memory. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Returns a block from `alloc` to the allocator. */
export function free(ptr: usize): void {
  heap.free(ptr);
}
