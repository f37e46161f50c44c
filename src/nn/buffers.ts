// Reusable per-batch-size buffers. A training loop sees at most two batch
// sizes (full batches and the last, shorter one), so layers keep one buffer per
// row count and the hot loop allocates nothing after the first epoch.

import type { Backend } from "../core/backend.js";
import type { DType, Matrix } from "../core/matrix.js";

export class BufferCache {
  private readonly byRows = new Map<number, Matrix>();

  constructor(
    private readonly cols: number,
    private readonly dtype: DType,
  ) {}

  /** A rows x cols matrix owned by this cache; its contents are scratch. */
  get(rows: number, backend: Backend): Matrix {
    let m = this.byRows.get(rows);
    if (!m) {
      if (this.byRows.size >= 4) this.byRows.clear();
      m = backend.zeros(rows, this.cols, this.dtype);
      this.byRows.set(rows, m);
    }
    return m;
  }
}
