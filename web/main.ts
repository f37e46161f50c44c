// The playground's entry point: it holds the one valid state, keeps the URL,
// the controls and the worker in step with it, and redraws the views from the
// frames the worker sends. Every change goes through commit(): validate, write
// the URL, show it, then rebuild the run, carry it on from its weights
// ("continue from these weights"), or only redraw (a view setting). Views only
// draw what they are given.

import { InputError } from "../src/index.js";
import { advise, type Advice } from "../src/toolkit.js";
import { keepProbName, labelled, settingLabel } from "./labels.js";
import { BackendChoice } from "./backend-choice.js";
import { WorkerClient } from "./client.js";
import { displayedRun, runSetups } from "./compare.js";
import { Controls } from "./controls.js";
import { LayerControls } from "./layers.js";
import { DataPicker } from "./picker.js";
import type { CheckReport, DataInfo, RunFrame } from "./protocol.js";
import { RunRecord } from "./record.js";
import {
  CLI_TRAIN_FRACTION,
  DATA_SHAPES,
  DEFAULT_STATE,
  applyBackend,
  applyHidden,
  applyKeepProb,
  applySetting,
  cliCommand,
  parseState,
  runChange,
  serializeState,
  settingText,
  trainExamples,
  type PageState,
} from "./state.js";
import { drawChart } from "./views/chart.js";
import { drawCheck } from "./views/check.js";
import { drawCompare } from "./views/compare.js";
import { DiagramView } from "./views/diagram.js";
import { drawDigits } from "./views/digits.js";
import { Messages } from "./views/messages.js";
import { drawMetrics } from "./views/metrics.js";
import { drawShares } from "./views/spread.js";
import { drawSurface, drawUncertainty } from "./views/surface.js";

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const el = {
  play: byId<HTMLButtonElement>("play"),
  status: byId("status"),
  metrics: byId("metrics"),
  costChart: byId<HTMLCanvasElement>("cost-chart"),
  surface: byId<HTMLCanvasElement>("surface"),
  uncertainty: byId<HTMLCanvasElement>("uncertainty"),
  surfaces: byId("surfaces"),
  uncertaintyRange: byId("uncertainty-range"),
  digits: byId("digits"),
  digitsCaption: byId("digits-caption"),
  runState: byId("run-state"),
  dataSummary: byId("data-summary"),
  cliLine: byId("cli-line"),
  cliNote: byId("cli-note"),
  copyStatus: byId("copy-status"),
  check: { panel: byId("check-panel"), text: byId("check-result"), details: byId("check-details"), monotone: byId<HTMLCanvasElement>("check-chart"), jitter: byId<HTMLCanvasElement>("jitter-chart") },
  compare: { panel: byId("compare-panel"), verdict: byId("compare-verdict"), runs: byId("compare-runs"), chart: byId<HTMLCanvasElement>("compare-chart") },
};

let state: PageState = DEFAULT_STATE;
let advice: Advice | undefined;
let playing = false;
let info: DataInfo | undefined;
let records: RunRecord[] = [];
let checkReport: CheckReport | undefined;
let checkPending = false;
/** The worker's reason for running wasm on fewer threads than asked, once shown for the current run. */
let threadNoteShown = false;
/** prefers-reduced-motion: while playing, the diagram (whose dropped units change every step) redraws at most once a second. */
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
const REDUCED_MOTION_INTERVAL_MS = 1000;
let diagramDrawnAt = -Infinity;

const messages = new Messages(byId("messages"));
const diagram = new DiagramView(byId<HTMLCanvasElement>("diagram"), byId("diagram-tip"));
const client = new WorkerClient({
  data: (i) => {
    info = i;
    el.dataSummary.textContent = `${i.sizes.train} training, ${i.sizes.dev} dev and ${i.sizes.test} test examples` + (i.data === "mnist" ? " (28×28 digits, a bundled subset of MNIST)." : ".");
  },
  frames: (frames: readonly RunFrame[]) => {
    frames.forEach((f, i) => records[i]?.add(f));
    if (playing && frames.every((f) => f.done)) setPlaying(false);
  },
  backend: (backendInfo) => {
    backendChoice.show(backendInfo);
    if (backendInfo.note && !threadNoteShown) {
      threadNoteShown = true;
      messages.show(`The wasm backend runs on one thread: ${backendInfo.note}.`, "info");
    }
  },
  check: (report) => {
    checkReport = report;
    checkPending = false;
    render();
  },
  error: (message) => {
    setPlaying(false);
    checkPending = false;
    // the worker's errors come from the engine, which names settings as the code does
    messages.show(labelled(message));
    render();
  },
  render: () => render(),
});

/** Applies a setting given as text; a refusal is shown with the value kept, and the fields show the state again. */
function trySet(key: string, apply: (s: PageState) => PageState): boolean {
  try {
    commit(apply(state));
    return true;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    messages.show(`${labelled(e.message)}; kept ${settingLabel(key)} ${settingText(state, key)}`);
    sync();
    return false;
  }
}

const controls = new Controls((key, text) =>
  key === "hidden" ? trySet("hidden", (s) => applyHidden(s, text)) : trySet(key, (s) => applySetting(s, key, text)),
);
const backendChoice = new BackendChoice(byId<HTMLSelectElement>("f-backend"), byId("backend-status"), (backend, threads) =>
  trySet("backend", (s) => applyBackend(s, backend, threads)),
);
const picker = new DataPicker(byId("dataset-choices"), (data) => trySet("data", (s) => applySetting(s, "data", data)));
const layers = new LayerControls(
  byId("layer-headers"),
  byId("keep-probs"),
  {
    hidden: (text) => trySet("hidden", (s) => applyHidden(s, text)),
    keepProb: (index, text) => {
      try {
        commit(applyKeepProb(state, index, text));
        return true;
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        messages.show(`${labelled(e.message)}; kept ${state.keepProbs[index]} for ${keepProbName(index)}`);
        sync();
        return false;
      }
    },
  },
  byId<HTMLButtonElement>("add-layer"),
  byId<HTMLButtonElement>("remove-layer"),
);

function sync(): void {
  advice = advise({ layers: state.layers, examples: trainExamples(state), ...(state.data === "mnist" ? { inputKind: "image" as const } : {}) });
  controls.sync(state);
  picker.sync(state.data);
  backendChoice.sync(state);
  layers.sync(state, advice);
  showCommand(el.cliLine, cliCommand(state));
  const notes: string[] = [];
  if (state.data === "mnist") notes.push("The page trains on a bundled subset of 1,000 digits; the CLI's --data mnist uses all 10,000, so its numbers will differ.");
  if (state.trainFraction !== CLI_TRAIN_FRACTION) notes.push("A training share other than 70% adds --dev-fraction and --test-fraction (the page splits the rest evenly into dev and test).");
  if (state.backend === "wasm") {
    notes.push("With --backend wasm the CLI runs the same WebAssembly kernels (on its own number of threads, which does not change results), but its numbers may differ from this page's in the last digits: engines may or may not fuse relaxed SIMD's multiply-add. The js backend reproduces a run bit for bit.");
  }
  const changed = records[displayedRun(state)]?.last?.changes[0];
  if (changed) notes.unshift(`This run changed its settings at step ${changed.step.toLocaleString("en-US")} and carried on from its weights; the link and the command start a fresh run with the current settings, so their numbers will differ.`);
  el.cliNote.textContent =
    notes.join(" ") || "Same data, split, initial weights, shuffles and dropout masks: the CLI reproduces this page's run bit for bit.";
}

/** The command as words that each stay whole, so the line wraps at spaces only (a browser would also break after a flag's hyphens). */
function showCommand(box: HTMLElement, command: string): void {
  box.replaceChildren(
    ...command.split(" ").flatMap((word, i) => {
      const span = document.createElement("span");
      span.className = "w";
      span.textContent = word;
      return i ? [" ", span] : [span];
    }),
  );
}

/**
 * Makes `next` the state: URL and fields, then a fresh run (the same state
 * always gives the same run), or, with "continue from these weights" on and
 * only keepProbs, L2, learning rate, max-norm or epochs changed on a run that
 * has started, the same run carried on; a view setting only redraws.
 */
function commit(next: PageState): void {
  const change = runChange(state, next);
  state = next;
  history.replaceState(null, "", `#${serializeState(state)}`);
  sync();
  if (change === "same" && records.length > 0) return render();
  if (change === "continuable" && state.view.continueRun && (records[displayedRun(state)]?.last?.step ?? 0) > 0) {
    checkReport = undefined;
    client.continueRun(state);
    if (playing) client.play();
    return render();
  }
  restart();
}

function restart(): void {
  records = runSetups(state).map(() => new RunRecord());
  if (info && info.data !== state.data) info = undefined;
  checkReport = undefined;
  checkPending = false;
  threadNoteShown = false;
  client.configure(state);
  if (playing) client.play();
  render();
}

function setPlaying(on: boolean): void {
  playing = on;
  el.play.setAttribute("aria-pressed", String(on));
  el.play.setAttribute("aria-label", on ? "Pause" : "Play");
  el.status.dataset.playing = String(on);
  // under reduced motion the diagram skips frames while playing: a pause shows the last step's units
  if (!on) render();
}

function costSeries(r: RunRecord) {
  const steps = Float32Array.from({ length: r.steps }, (_, i) => i + 1);
  const x = r.epochs.map((e) => e.step);
  return [
    { name: "noisy cost", color: "#f59322", x: steps, y: r.costs, band: true },
    { name: "clean J", color: "#183d4e", x, y: r.epochs.map((e) => e.cleanCost), width: 2.2 },
    { name: "test loss", color: "#0877bd", x, y: r.epochs.map((e) => e.testLoss), width: 1.4, dash: [5, 3] },
  ];
}

/** Where the run stands, in words: not started, training, or ended and why; and any mid-run changes. */
function runStateText(r: RunRecord): string {
  const f = r.last;
  const changes = (f?.changes ?? []).map((c) => ` At step ${c.step.toLocaleString("en-US")}: ${c.text}.`).join("");
  if (!f || f.step === 0) return "Not started: press play to train, or step to train one minibatch.";
  if (!f.done) return `${playing ? "Training" : "Paused"}: step ${f.step.toLocaleString("en-US")}, ${f.epoch} of ${state.epochs} epochs done.${changes}`;
  return `Ended at epoch ${f.epoch} (step ${f.step.toLocaleString("en-US")}): the run reached its ${state.epochs} epochs. Raise Epochs with "continue from these weights" ticked to train on, or press reset.${changes}`;
}

/** The cost chart's text alternative: the numbers it shows now. */
function costChartLabel(r: RunRecord, clamped: number): string {
  const latest = r.latest, step = r.last?.step ?? 0;
  const noisy = r.steps ? r.costs[r.steps - 1] : undefined;
  const num = (v: number | undefined) => (v === undefined ? "none yet" : v.toPrecision(3));
  return (
    `Cost over ${step.toLocaleString("en-US")} steps${state.view.logY ? " (log scale)" : ""}: noisy minibatch cost now ${num(noisy)}, clean J ${num(latest?.cleanCost)}, test loss ${num(latest?.testLoss)}` +
    (clamped ? `; ${clamped} column${clamped === 1 ? "" : "s"} of values above the axis are drawn at the top edge, marked red.` : ".")
  );
}

function render(): void {
  const shown = records[displayedRun(state)];
  if (!shown) return;
  const frame = shown.last;
  const now = performance.now();
  if (!(playing && reducedMotion.matches && now - diagramDrawnAt < REDUCED_MOTION_INTERVAL_MS)) {
    diagram.draw(state.layers, frame, info);
    diagramDrawnAt = now;
  }
  drawMetrics(el.metrics, el.status, shown, playing);
  el.runState.textContent = runStateText(shown);
  el.runState.dataset.ended = String(frame?.done ?? false);
  const markers = (frame?.changes ?? []).map((c) => ({ x: c.step, label: `step ${c.step}: ${c.text}` }));
  const { clamped } = drawChart(el.costChart, costSeries(shown), { xLabel: "step", yLabel: "cost", minXMax: 100, logY: state.view.logY, markers });
  el.costChart.setAttribute("aria-label", costChartLabel(shown, clamped));
  // Before the worker describes the data, its shape comes from the state, so the surfaces keep their layout when it does.
  const plane = (info?.features ?? DATA_SHAPES[state.data].features) === 2;
  const showTest = state.view.showTest;
  el.surfaces.hidden = (info?.data ?? state.data) === "mnist";
  el.surfaces.classList.toggle("single", !plane);
  el.uncertainty.closest("figure")!.hidden = !plane;
  el.surface.nextElementSibling!.textContent = plane
    ? "Decision surface (dropout off)"
    : "How each first-layer unit splits |w| over its inputs (eff: effective number of inputs)";
  if (plane || !info) drawSurface(el.surface, frame?.surface, info, showTest);
  else drawShares(el.surface, frame?.spread[0], info.featureNames);
  if (plane) {
    const max = drawUncertainty(el.uncertainty, frame?.surface, info, showTest, state.view.uncertainty);
    el.uncertaintyRange.textContent = max > 0 ? `Colours run from 0 to the largest value on the map, ${max < 0.01 ? max.toPrecision(2) : max.toFixed(3)}${state.view.uncertainty === "entropy" ? " nats (at most ln 2 = 0.693)" : " (at most 0.5)"}.` : "";
  }
  drawDigits(el.digits, el.digitsCaption, state.data === "mnist", info, frame?.digits);
  drawCompare(el.compare.panel, el.compare.verdict, el.compare.runs, el.compare.chart, records.length > 1 ? records : [], info, showTest);
  drawCheck(el.check, checkReport, checkPending);
}

byId("reset").addEventListener("click", () => {
  setPlaying(false);
  restart();
});
el.play.addEventListener("click", () => {
  const shown = records[displayedRun(state)];
  if (!playing && shown?.last?.done) {
    messages.show(`The run reached its ${state.epochs} epochs; raise Epochs or press Reset.`, "info");
    return;
  }
  setPlaying(!playing);
  if (playing) client.play();
  else client.pause();
});
byId("step").addEventListener("click", () => {
  setPlaying(false);
  client.step();
});
byId("check").addEventListener("click", () => {
  checkPending = true;
  render();
  client.check();
});
byId("apply-advice").addEventListener("click", () => {
  if (advice) trySet("keep-probs", (s) => applySetting(s, "keep-probs", advice!.keepProbs.join(",")));
});

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    el.copyStatus.textContent = `${what} copied.`;
  } catch {
    el.copyStatus.textContent = `Copying is blocked here; select the ${what.toLowerCase()} and copy it by hand.`;
  }
}
byId("copy-link").addEventListener("click", () => void copy(location.href, "Link"));
byId("copy-cli").addEventListener("click", () => void copy(el.cliLine.textContent ?? "", "Command"));

/** Reads the URL over `base`: refused settings keep base's value and are listed on the page. */
function loadUrl(base: PageState): void {
  const { state: parsed, errors } = parseState(location.hash, base);
  for (const e of errors) messages.show(`In the URL: ${labelled(e)}`);
  commit(parsed);
}

window.addEventListener("hashchange", () => loadUrl(state));
window.addEventListener("resize", () => render());
setPlaying(false);
loadUrl(DEFAULT_STATE);
