// The form controls of the toolbar and the data column: each one reads its
// setting from the state and, when a person changes it, hands the text to
// `onSet`, which validates it through the state module. A refused value is
// marked invalid and the field shows the last valid setting again. Sliders
// show their value as the URL and the CLI write it (noise 0.1, not 10).

import { ACTIVATIONS, OPTIMIZER_NAMES, type PageState } from "./state.js";

/** Text fields and selects: element id -> setting key (the URL's and the CLI flag's name). */
const FIELDS: readonly (readonly [string, string])[] = [
  ["f-lr", "lr"],
  ["f-optimizer", "optimizer"],
  ["f-batch", "batch"],
  ["f-activation", "activation"],
  ["f-l2", "l2"],
  ["f-max-norm", "max-norm"],
  ["f-epochs", "epochs"],
  ["f-seed", "seed"],
  ["f-noise", "noise"],
  ["f-size", "size"],
  ["f-train-fraction", "train-fraction"],
  ["f-uncertainty", "uncertainty"],
];

/** Checkboxes: element id -> setting key and the state's value. */
const CHECKBOXES: readonly (readonly [string, string, (s: PageState) => boolean])[] = [
  ["f-compare", "compare", (s) => s.compare],
  ["show-test", "test", (s) => s.view.showTest],
  ["f-log-y", "log-y", (s) => s.view.logY],
  ["f-continue", "continue", (s) => s.view.continueRun],
];

/** Applies a setting; returns false when it was refused (the caller shows why). */
export type Setter = (key: string, text: string) => boolean;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

function fillSelect(select: HTMLSelectElement, options: readonly string[]): void {
  select.replaceChildren(...options.map((o) => new Option(o, o)));
}

function fieldValue(s: PageState, key: string): string {
  switch (key) {
    case "lr":
      return String(s.lr);
    case "optimizer":
      return s.optimizer;
    case "batch":
      return String(s.batch);
    case "activation":
      return s.activation;
    case "l2":
      return String(s.l2);
    case "max-norm":
      return s.maxNorm === undefined ? "" : String(s.maxNorm);
    case "epochs":
      return String(s.epochs);
    case "seed":
      return String(s.seed);
    case "noise":
      return String(s.noise);
    case "size":
      return String(s.size);
    case "train-fraction":
      return String(s.trainFraction);
    case "uncertainty":
      return s.view.uncertainty;
    default:
      throw new Error(`no field shows ${key}`);
  }
}

export class Controls {
  private readonly hidden = byId<HTMLInputElement>("f-hidden");

  constructor(private readonly set: Setter) {
    fillSelect(byId("f-optimizer"), OPTIMIZER_NAMES);
    fillSelect(byId("f-activation"), ACTIVATIONS);
    for (const [id, key] of FIELDS) {
      const el = byId<HTMLInputElement | HTMLSelectElement>(id);
      el.addEventListener("change", () => this.submit(el, key, el.value));
      if (el instanceof HTMLInputElement && el.type === "range") el.addEventListener("input", () => this.showSliderValue(key, el.value));
    }
    for (const [id, key] of CHECKBOXES) {
      const box = byId<HTMLInputElement>(id);
      box.addEventListener("change", () => this.set(key, box.checked ? "1" : "0"));
    }
    this.hidden.addEventListener("change", () => this.submit(this.hidden, "hidden", this.hidden.value));
  }

  private submit(el: HTMLInputElement | HTMLSelectElement, key: string, text: string): void {
    const ok = this.set(key, text);
    el.setAttribute("aria-invalid", String(!ok));
  }

  private showSliderValue(key: string, value: string): void {
    const v = Number(value);
    if (key === "noise") byId("noise-value").textContent = String(v);
    if (key === "train-fraction") byId("train-fraction-value").textContent = `${Math.round(v * 100)}%`;
  }

  /** Shows `s` in every field (after a change, a refusal, or a new URL). */
  sync(s: PageState): void {
    for (const [id, key] of FIELDS) {
      const el = byId<HTMLInputElement | HTMLSelectElement>(id);
      const v = fieldValue(s, key);
      if (el.value !== v) el.value = v;
      if (el instanceof HTMLInputElement && el.type === "range") this.showSliderValue(key, v);
    }
    for (const [id, , value] of CHECKBOXES) byId<HTMLInputElement>(id).checked = value(s);
    this.hidden.value = s.layers.slice(1, -1).join(",");
    byId("synthetic-controls").hidden = s.data === "mnist";
  }
}
