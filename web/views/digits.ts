// For the MNIST subset: a few test digits with the network's prediction (green
// frame right, red wrong), its probability, and under it the predictive
// entropy of the MC-dropout average as a purple bar: how unsure the thinned
// networks are together. Bars are scaled to the largest entropy shown (the
// caption says how large), so they rank the digits instead of all filling up.

import type { DataInfo, DigitPredictions } from "../protocol.js";

/**
 * `shown`: the page trains on MNIST. Until the worker sends the digits, the
 * box stays empty at its full height (style.css), so nothing under it moves
 * when they arrive.
 */
export function drawDigits(box: HTMLElement, caption: HTMLElement, shown: boolean, info: DataInfo | undefined, predictions: DigitPredictions | undefined): void {
  const digits = info?.digits;
  box.hidden = caption.hidden = !shown;
  if (!digits) {
    box.replaceChildren();
    caption.textContent = "Loading the bundled digits…";
    return;
  }
  const entropy = predictions?.entropy;
  const top = entropy && entropy.length ? Math.max(...entropy) : 0;
  caption.textContent = entropy
    ? `Bars: predictive entropy of the MC-dropout average over 20 masks, full bar = ${top.toFixed(3)} nats (the largest shown; at most ln 10 = 2.303).`
    : "Bars: predictive entropy of the MC-dropout average (nothing is dropped, so there are no masks to sample).";
  const n = digits.labels.length;
  if (box.childElementCount !== n) {
    box.replaceChildren(
      ...Array.from({ length: n }, (_, i) => {
        const cell = document.createElement("div");
        cell.className = "digit";
        const canvas = document.createElement("canvas");
        canvas.width = 28;
        canvas.height = 28;
        canvas.setAttribute("role", "img");
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
    const sd = predictions?.uncertainty?.[i] ?? 0, h = entropy?.[i] ?? 0;
    (cell.querySelector(".bar i") as HTMLElement).style.width = `${top > 0 ? (h / top) * 100 : 0}%`;
    cell.setAttribute("title", `true digit ${truth}; MC-dropout predictive entropy ${h.toFixed(3)} nats, sd of the predicted probability ${sd.toFixed(3)}`);
    cell.querySelector("canvas")!.setAttribute("aria-label", `digit ${truth}, predicted ${predicted ?? "none yet"}; entropy ${h.toFixed(3)} nats`);
  });
}
