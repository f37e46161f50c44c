// The numbers under the run controls: step and epoch counters, clean J, the
// latest noisy cost, and train / dev / test accuracy. They are also written
// as data attributes on #status (step, epoch, clean J now and at step 0), so a
// test reads the page the way a person does, from what it shows.

import type { RunRecord } from "../record.js";
import { fmt, pct } from "./paint.js";

export function drawMetrics(box: HTMLElement, status: HTMLElement, record: RunRecord, playing: boolean): void {
  const frame = record.last;
  const latest = record.latest;
  const first = record.epochs[0];
  const lastCost = record.steps ? record.costs[record.steps - 1] : undefined;
  const items: [string, string, string][] = [
    ["clean J", fmt(latest?.cleanCost), "Clean J: dropout off, whole training split, L2 penalty included (per epoch)"],
    ["noisy cost", fmt(lastCost), "The minibatch cost of the step shown, under dropout"],
    ["test loss", fmt(latest?.testLoss), "Mean loss on the test split, dropout off"],
    ["train acc.", pct(latest?.trainAccuracy), "Accuracy on the training split"],
    ["dev acc.", pct(latest?.devAccuracy), "Accuracy on the dev split"],
    ["test acc.", pct(latest?.testAccuracy), "Accuracy on the test split"],
  ];
  box.replaceChildren(
    ...items.map(([label, value, title]) => {
      const div = document.createElement("div");
      div.className = "metric";
      div.title = title;
      const span = document.createElement("span");
      span.textContent = label;
      const b = document.createElement("b");
      b.textContent = value;
      div.append(span, b);
      return div;
    }),
  );
  const step = frame?.step ?? 0;
  const epoch = frame?.epoch ?? 0;
  status.querySelector("#step-count")!.textContent = step.toLocaleString("en-US");
  status.querySelector("#epoch-count")!.textContent = epoch.toLocaleString("en-US");
  Object.assign(status.dataset, {
    step: String(step),
    epoch: String(epoch),
    cleanJ: latest ? String(latest.cleanCost) : "",
    cleanJ0: first ? String(first.cleanCost) : "",
    cost: lastCost === undefined ? "" : String(lastCost),
    playing: String(playing),
    done: String(frame?.done ?? false),
  });
}
