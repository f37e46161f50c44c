// The network's own controls: a header per layer column (add or remove units
// of a hidden layer), the add / remove layer buttons, and the keepProb table:
// one slider per layer, the input layer included, each with the advisor's
// suggestion beside it and its reason in a disclosure (<details>, so the
// keyboard opens it too). The DOM is rebuilt only when the number of layers
// changes, so a slider keeps focus while a person moves it.

import type { Advice } from "../src/toolkit.js";
import { keepProbName } from "./labels.js";
import { PAGE_LIMITS, type PageState } from "./state.js";

export interface LayerActions {
  /** New hidden sizes as text ("8,8"); returns false when refused. */
  hidden(text: string): boolean;
  /** A new keepProb for layer `index` as text; returns false when refused. */
  keepProb(index: number, text: string): boolean;
}

const SLIDER = { min: 0.05, max: 1, step: 0.05 } as const;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function layerTitle(l: number, layers: readonly number[]): string {
  return l === 0 ? "inputs" : l === layers.length - 1 ? "output" : `hidden ${l}`;
}

export class LayerControls {
  private structure = "";
  private state: PageState | undefined;

  constructor(
    private readonly headers: HTMLElement,
    private readonly table: HTMLElement,
    private readonly actions: LayerActions,
    private readonly addLayer: HTMLButtonElement,
    private readonly removeLayer: HTMLButtonElement,
  ) {
    addLayer.addEventListener("click", () => this.changeHidden((h) => [...h, h[h.length - 1] ?? 4]));
    removeLayer.addEventListener("click", () => this.changeHidden((h) => h.slice(0, -1)));
  }

  private changeHidden(f: (hidden: number[]) => number[]): void {
    if (!this.state) return;
    this.actions.hidden(f(this.state.layers.slice(1, -1)).join(","));
  }

  sync(s: PageState, advice: Advice | undefined): void {
    this.state = s;
    const structure = `${s.layers.length}`;
    if (structure !== this.structure) {
      const focused = document.activeElement?.id;
      this.build(s);
      this.structure = structure;
      if (focused) document.getElementById(focused)?.focus();
    }
    const hiddenCount = s.layers.length - 2;
    this.addLayer.disabled = hiddenCount >= PAGE_LIMITS.maxHiddenLayers;
    this.removeLayer.disabled = hiddenCount === 0;
    s.layers.forEach((n, l) => {
      const count = this.headers.querySelector<HTMLElement>(`[data-units="${l}"]`);
      if (count) count.textContent = l === 0 ? `${n} feature${n === 1 ? "" : "s"}` : `${n} unit${n === 1 ? "" : "s"}`;
      const minus = this.headers.querySelector<HTMLButtonElement>(`[data-minus="${l}"]`);
      const plus = this.headers.querySelector<HTMLButtonElement>(`[data-plus="${l}"]`);
      if (minus) minus.disabled = n <= 1;
      if (plus) plus.disabled = n >= PAGE_LIMITS.maxUnits;
    });
    s.keepProbs.forEach((p, l) => {
      const slider = document.getElementById(`keep-${l}`) as HTMLInputElement | null;
      const text = document.getElementById(`keep-text-${l}`) as HTMLInputElement | null;
      if (slider && slider.value !== String(p)) slider.value = String(p);
      if (text && document.activeElement !== text) text.value = String(p);
      const a = advice?.layers[l];
      const box = document.getElementById(`advice-${l}`);
      const name = document.getElementById(`keep-label-${l}`);
      if (name) name.textContent = `${l === 0 ? "inputs" : `hidden ${l}`} (${s.layers[l]})`;
      if (box) {
        box.querySelector("b")!.textContent = `advisor: ${a ? a.keepProb : "–"}`;
        box.querySelector("p")!.textContent = a?.reason ?? "";
        box.dataset.advised = a ? String(a.keepProb) : "";
      }
    });
  }

  private build(s: PageState): void {
    const L = s.layers.length;
    this.headers.style.gridTemplateColumns = `repeat(${L}, minmax(0, 1fr))`;
    this.headers.replaceChildren(
      ...s.layers.map((_, l) => {
        const title = el("span", { className: "layer-title" }, layerTitle(l, s.layers));
        const count = el("span");
        count.dataset.units = String(l);
        if (l === 0 || l === L - 1) return el("div", { className: "layer-header" }, title, count);
        const minus = el("button", { type: "button", className: "round-button", textContent: "−" });
        minus.setAttribute("aria-label", `Remove a unit from hidden layer ${l}`);
        minus.dataset.minus = String(l);
        const plus = el("button", { type: "button", className: "round-button", textContent: "+" });
        plus.setAttribute("aria-label", `Add a unit to hidden layer ${l}`);
        plus.dataset.plus = String(l);
        minus.addEventListener("click", () => this.changeUnits(l, -1));
        plus.addEventListener("click", () => this.changeUnits(l, +1));
        return el("div", { className: "layer-header" }, title, el("div", { className: "unit-buttons" }, minus, count, plus));
      }),
    );
    this.table.replaceChildren(
      ...s.keepProbs.map((_, l) => {
        const label = el("label", { className: "keep-name", htmlFor: `keep-${l}`, id: `keep-label-${l}` });
        const slider = el("input", { type: "range", id: `keep-${l}`, min: String(SLIDER.min), max: String(SLIDER.max), step: String(SLIDER.step) });
        slider.setAttribute("aria-describedby", `advice-${l}`);
        const text = el("input", { type: "text", id: `keep-text-${l}`, className: "keep-text", autocomplete: "off" });
        text.inputMode = "decimal";
        text.setAttribute("aria-label", `keepProb of ${keepProbName(l)}, exact value`);
        slider.addEventListener("input", () => (text.value = slider.value));
        slider.addEventListener("change", () => this.submitKeep(l, slider.value, text));
        text.addEventListener("change", () => this.submitKeep(l, text.value, text));
        const advice = el("details", { className: "advice", id: `advice-${l}` }, el("summary", {}, el("b"), " ", el("span", { className: "why" }, "why?")), el("p"));
        const use = el("button", { type: "button", className: "text-button", textContent: "use" });
        use.setAttribute("aria-label", `Use the advised keepProb for ${keepProbName(l)}`);
        use.addEventListener("click", () => {
          const advised = advice.dataset.advised;
          if (advised) this.submitKeep(l, advised, text);
        });
        const row = el("div", { className: "keep-row" }, label, slider, text, use, advice);
        row.dataset.layer = String(l);
        return row;
      }),
    );
  }

  private submitKeep(l: number, value: string, text: HTMLInputElement): void {
    const ok = this.actions.keepProb(l, value);
    text.setAttribute("aria-invalid", String(!ok));
    if (!ok && this.state) text.value = String(this.state.keepProbs[l]);
  }

  private changeUnits(l: number, delta: number): void {
    if (!this.state) return;
    const hidden = this.state.layers.slice(1, -1);
    hidden[l - 1] = Math.max(1, Math.min(PAGE_LIMITS.maxUnits, hidden[l - 1]! + delta));
    this.actions.hidden(hidden.join(","));
  }
}
