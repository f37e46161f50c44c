// How the page shows a run, as opposed to what the run is: test points on the
// plots, a log cost axis, which uncertainty the map draws, and whether a
// change of keepProbs, L2, learning rate, max-norm or epochs continues from the
// current weights. They live in the URL beside the experiment (so a shared
// link shows what its sender saw) but never rebuild a run and never reach the CLI.

import { InputError } from "../src/index.js";

/** Which uncertainty the MC-dropout map draws: the sd of P(class 1) over masks, or the predictive entropy of their mean. */
export const UNCERTAINTY_MEASURES = ["sd", "entropy"] as const;
export type UncertaintyMeasure = (typeof UNCERTAINTY_MEASURES)[number];

export interface ViewSettings {
  /** Draw the test points (black rim) beside the training points on the 2-D plots. */
  readonly showTest: boolean;
  /** Cost chart on a log y axis (noisy spikes no longer flatten J). */
  readonly logY: boolean;
  readonly uncertainty: UncertaintyMeasure;
  /**
   * A change of keepProbs, L2, learning rate, max-norm or epochs keeps the
   * trained weights, optimizer state and step count (marked on the chart)
   * instead of starting a fresh run.
   */
  readonly continueRun: boolean;
}

export const DEFAULT_VIEW: ViewSettings = { showTest: false, logY: false, uncertainty: "sd", continueRun: false };

/** One view setting in the URL: key, how to read it, how to write it (undefined: the default, left out). */
export interface ViewField {
  readonly key: string;
  apply(v: ViewSettings, text: string): ViewSettings;
  format(v: ViewSettings): string | undefined;
  text(v: ViewSettings): string;
}

function flag(key: string, name: keyof Pick<ViewSettings, "showTest" | "logY" | "continueRun">): ViewField {
  return {
    key,
    apply: (v, t) => {
      if (t !== "0" && t !== "1") throw new InputError(`${key} must be 0 or 1, got ${JSON.stringify(t)}`);
      return { ...v, [name]: t === "1" };
    },
    format: (v) => (v[name] ? "1" : undefined),
    text: (v) => (v[name] ? "1" : "0"),
  };
}

export const VIEW_FIELDS: readonly ViewField[] = [
  flag("test", "showTest"),
  flag("log-y", "logY"),
  {
    key: "uncertainty",
    apply: (v, t) => {
      const m = t.trim();
      if (!(UNCERTAINTY_MEASURES as readonly string[]).includes(m)) throw new InputError(`uncertainty must be one of ${UNCERTAINTY_MEASURES.join(", ")}; got ${JSON.stringify(t)}`);
      return { ...v, uncertainty: m as UncertaintyMeasure };
    },
    format: (v) => (v.uncertainty === DEFAULT_VIEW.uncertainty ? undefined : v.uncertainty),
    text: (v) => v.uncertainty,
  },
  flag("continue", "continueRun"),
];
