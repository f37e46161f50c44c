// Progress on stderr while training: epoch, step, ETA, noisy cost, clean J and
// accuracy on one redrawn line, only when stderr is a terminal (silent
// otherwise, so logs and pipes stay clean).

import type { EpochRecord, StepProgress } from "../src/index.js";

export interface Progress {
  step(p: StepProgress): void;
  epoch(e: EpochRecord): void;
  done(): void;
}

const SILENT: Progress = { step() {}, epoch() {}, done() {} };

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return SILENT;
  const start = Date.now();
  let lastDraw = 0;
  let lastEpoch: EpochRecord | undefined;
  const width = 20;
  const draw = (p: StepProgress, force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const done = (p.epoch - 1) * p.stepsPerEpoch + p.stepInEpoch;
    const total = p.epochs * p.stepsPerEpoch;
    const frac = Math.min(1, done / total);
    const filled = Math.round(frac * width);
    const elapsed = (now - start) / 1000;
    const eta = frac > 0 ? elapsed * (1 / frac - 1) : 0;
    const acc = lastEpoch?.trainAccuracy === undefined ? "" : ` acc ${(100 * lastEpoch.trainAccuracy).toFixed(1)}%`;
    const dev = lastEpoch?.devAccuracy === undefined ? "" : ` dev ${(100 * lastEpoch.devAccuracy).toFixed(1)}%`;
    const clean = lastEpoch ? ` J ${lastEpoch.cleanCost.toFixed(4)}` : "";
    const line = `${label} epoch ${p.epoch}/${p.epochs} [${"#".repeat(filled)}${"-".repeat(width - filled)}] step ${p.stepInEpoch}/${p.stepsPerEpoch} ETA ${formatSeconds(eta)} cost ${p.cost.toFixed(4)}${clean}${acc}${dev}`;
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
  };
  return {
    step: (p) => draw(p),
    epoch: (e) => {
      lastEpoch = e;
    },
    done: () => stream.write("\r\x1b[2K"),
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}
