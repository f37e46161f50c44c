// For the MNIST subset: a few test digits with the network's prediction (green
// frame right, red wrong), its probability, and under it the MC-dropout spread
// of that probability as a purple bar: how unsure the thinned networks are.

import type { DataInfo, DigitPredictions } from "../protocol.js";

export function drawDigits(box: HTMLElement, info: DataInfo | undefined, predictions: DigitPredictions | undefined): void {
  const digits = info?.digits;
  box.hidden = !digits;
  if (!digits) return;
  const n = digits.labels.length;
  if (box.childElementCount !== n) {
    box.replaceChildren(
      ...Array.from({ length: n }, (_, i) => {
        const cell = document.createElement("div");
        cell.className = "digit";
        const canvas = document.createElement("canvas");
        canvas.width = 28;
        canvas.height = 28;
        const ctx = canvas.getContext("2d")!;
        const img = ctx.createImageData(28, 28);
        for (let p = 0; p < 784; p++) {
          const v = 255 - digits.pixels[i * 784 + p]!;
          img.data.set([v, v, v, 255], 4 * p);
        }
        ctx.putImageData(img, 0, 0);
        const label = document.createElement("span");
        const bar = document.createElement("div");
        bar.className = "bar";
        bar.append(document.createElement("i"));
        cell.append(canvas, label, bar);
        return cell;
      }),
    );
  }
  Array.from(box.children).forEach((cell, i) => {
    const predicted = predictions?.predicted[i];
    const truth = digits.labels[i]!;
    cell.classList.toggle("wrong", predicted !== undefined && predicted !== truth);
    const confidence = predictions?.confidence[i];
    cell.querySelector("span")!.textContent = predicted === undefined ? "–" : `${predicted} (${Math.round((confidence ?? 0) * 100)}%)`;
    const sd = predictions?.uncertainty?.[i] ?? 0;
    (cell.querySelector(".bar i") as HTMLElement).style.width = `${Math.min(100, (sd / 0.25) * 100)}%`;
    cell.setAttribute("title", `true digit ${truth}; MC-dropout sd of the probability ${sd.toFixed(3)}`);
  });
}
