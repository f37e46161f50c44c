// The linear memory of the WebAssembly backend as TypeScript sees it: blocks
// from the kernels module's allocator, matrices that live there (so kernels on
// them copy nothing), and reusable scratch regions for inputs that live
// elsewhere. Growing a WebAssembly memory detaches every view of its old
// buffer, so a WasmMatrix hands out `data` through a getter that re-creates
// the view after growth. A view taken earlier and kept across an allocation
// (a `const d = m.data` held too long, a subarray) goes stale: length 0. A
// shared memory (the threaded backend) is not detached by growth: its earlier
// buffers stay valid, shorter views of the same memory, and count as in place.

import type { Matrix } from "../core/matrix.js";
import type { KernelExports } from "./wasm-module.js";

/** Memory use of a wasm backend. */
export interface WasmStats {
  /** Size of the linear memory in bytes (it only grows). */
  readonly memoryBytes: number;
  /** Blocks allocated so far (matrices, scratch regions, workspace). */
  readonly allocations: number;
  /** Blocks returned to the allocator so far. */
  readonly frees: number;
  /** Bytes reserved by the scratch regions that stage inputs living outside wasm memory. */
  readonly scratchBytes: number;
}

/** Scratch regions, one per operand position of a kernel. */
export const SLOT_A = 0;
export const SLOT_B = 1;
export const SLOT_OUT = 2;
export const SLOT_MASK = 3;
/** A dropout mask's generator state and ties (maskBulk). */
export const SLOT_TIES = 4;
const SLOTS = 5;

/** Scratch regions grow in steps of this many bytes, so slightly larger shapes reuse them. */
const SCRATCH_GRANULE = 64 * 1024;

/** An allocated block, freed once the matrix and every view it handed out are garbage. */
export class Block {
  holders = 0;
  constructor(readonly ptr: number) {}
}

export class WasmHeap {
  #buffer: ArrayBufferLike;
  /** Earlier buffers of a shared memory (still valid views of its start). */
  readonly #earlier = new WeakSet<ArrayBufferLike>();
  /** Views of the whole memory, re-created after growth. */
  f32: Float32Array;
  u8: Uint8Array;
  u32: Uint32Array;
  i32: Int32Array;
  readonly #kernels: KernelExports;
  readonly #scratchPtr: number[] = new Array<number>(SLOTS).fill(0);
  readonly #scratchBytes: number[] = new Array<number>(SLOTS).fill(0);
  readonly #registry = new FinalizationRegistry<Block>((block) => this.#release(block));
  #allocations = 0;
  #frees = 0;

  constructor(kernels: KernelExports) {
    this.#kernels = kernels;
    this.#buffer = kernels.memory.buffer;
    this.f32 = new Float32Array(this.#buffer);
    this.u8 = new Uint8Array(this.#buffer);
    this.u32 = new Uint32Array(this.#buffer);
    this.i32 = new Int32Array(this.#buffer);
  }

  /** The memory's current buffer; views over any other buffer are stale. */
  get buffer(): ArrayBufferLike {
    return this.#buffer;
  }

  /** A block of `bytes` bytes (16-byte aligned, contents undefined); may grow the memory. */
  alloc(bytes: number): number {
    let ptr: number;
    try {
      ptr = this.#kernels.alloc(Math.max(bytes, 16)) >>> 0;
    } catch (cause) {
      throw new RangeError(`wasm backend: out of memory allocating ${bytes} bytes (linear memory holds ${this.#kernels.memory.buffer.byteLength} bytes)`, { cause });
    }
    this.#allocations++;
    const buffer = this.#kernels.memory.buffer;
    if (buffer !== this.#buffer) {
      if (typeof SharedArrayBuffer === "function" && this.#buffer instanceof SharedArrayBuffer) this.#earlier.add(this.#buffer);
      this.#buffer = buffer;
      this.f32 = new Float32Array(buffer);
      this.u8 = new Uint8Array(buffer);
      this.u32 = new Uint32Array(buffer);
      this.i32 = new Int32Array(buffer);
    }
    return ptr;
  }

  free(ptr: number): void {
    this.#kernels.free(ptr);
    this.#frees++;
  }

  /** Byte address of `view` if it lies in this memory (its current buffer, or an earlier one of a shared memory), else -1. */
  addressOf(view: Float32Array | Float64Array | Uint8Array): number {
    return view.buffer === this.#buffer || this.#earlier.has(view.buffer) ? view.byteOffset : -1;
  }

  /** Address of scratch region `slot` with room for `bytes`; it is reallocated (larger) only when too small. */
  scratch(slot: number, bytes: number): number {
    const have = this.#scratchBytes[slot]!;
    if (bytes <= have) return this.#scratchPtr[slot]!;
    if (have > 0) this.free(this.#scratchPtr[slot]!);
    const size = Math.max(Math.ceil(bytes / SCRATCH_GRANULE) * SCRATCH_GRANULE, Math.ceil(have * 1.5));
    this.#scratchBytes[slot] = 0;
    this.#scratchPtr[slot] = this.alloc(size);
    this.#scratchBytes[slot] = size;
    return this.#scratchPtr[slot]!;
  }

  /** Copies the first `count` values of `src` into scratch region `slot`; returns its address. */
  stage(slot: number, src: Float32Array, count: number): number {
    const ptr = this.scratch(slot, count * 4);
    this.f32.set(src.length === count ? src : src.subarray(0, count), ptr >>> 2);
    return ptr;
  }

  /** Copies the first `count` bytes of `src` into scratch region `slot`; returns its address. */
  stageBytes(slot: number, src: Uint8Array, count: number): number {
    const ptr = this.scratch(slot, count);
    this.u8.set(src.length === count ? src : src.subarray(0, count), ptr);
    return ptr;
  }

  /** Copies `count` float32 values at `ptr` into `dst`. */
  copyOut(ptr: number, dst: Float32Array, count: number): void {
    const start = ptr >>> 2;
    dst.set(this.f32.subarray(start, start + count));
  }

  /** A zero-filled rows x cols float32 matrix in this memory. */
  matrix(rows: number, cols: number): WasmMatrix {
    const bytes = rows * cols * 4;
    const block = new Block(this.alloc(bytes));
    this.u8.fill(0, block.ptr, block.ptr + bytes);
    return new WasmMatrix(this, block, rows, cols);
  }

  /**
   * A zero-filled float64 vector: in this memory if it is shared (growth
   * leaves a shared memory's views valid, so the plain Float64Array handed out
   * never goes stale; the block is freed once the view is garbage), else an
   * ordinary Float64Array.
   */
  stateVector(length: number): Float64Array {
    if (!(typeof SharedArrayBuffer === "function" && this.#buffer instanceof SharedArrayBuffer) || length === 0) return new Float64Array(length);
    const block = new Block(this.alloc(length * 8));
    const view = new Float64Array(this.#buffer, block.ptr, length);
    view.fill(0);
    this.hold(view, block);
    return view;
  }

  /** Keeps `block` allocated while `holder` is reachable. */
  hold(holder: object, block: Block): void {
    block.holders++;
    this.#registry.register(holder, block);
  }

  #release(block: Block): void {
    if (--block.holders === 0) this.free(block.ptr);
  }

  stats(): WasmStats {
    return {
      memoryBytes: this.#kernels.memory.buffer.byteLength,
      allocations: this.#allocations,
      frees: this.#frees,
      scratchBytes: this.#scratchBytes.reduce((sum, bytes) => sum + bytes, 0),
    };
  }
}

/**
 * A float32 matrix stored in a wasm backend's linear memory. `data` is always
 * a live view (re-created after the memory grows); its storage is freed when
 * the matrix and every `data` view it returned are unreachable. Subarrays of
 * `data` do not keep the storage alive: keep the matrix while using them.
 */
export class WasmMatrix implements Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Byte address of element (0, 0) in the owning backend's memory. */
  readonly ptr: number;
  readonly #heap: WasmHeap;
  readonly #block: Block;
  #view: Float32Array;

  constructor(heap: WasmHeap, block: Block, rows: number, cols: number) {
    this.rows = rows;
    this.cols = cols;
    this.ptr = block.ptr;
    this.#heap = heap;
    this.#block = block;
    this.#view = new Float32Array(heap.buffer, block.ptr, rows * cols);
    heap.hold(this, block);
    heap.hold(this.#view, block);
  }

  get data(): Float32Array {
    if (this.#view.buffer !== this.#heap.buffer) {
      this.#view = new Float32Array(this.#heap.buffer, this.ptr, this.rows * this.cols);
      this.#heap.hold(this.#view, this.#block);
    }
    return this.#view;
  }
}
