// Compare mode: the same data, seed and network trained three ways, so the
// only difference between the columns is the regularizer. Each column is a
// full page state, so each one has its own exact CLI line.

import type { PageState } from "./state.js";

/** λ for the L2 column when the experiment itself has none (J gains (λ / 2m) Σ w²). */
export const COMPARE_L2 = 1;
/** keepProbs for the dropout column when the experiment drops nothing: inputs kept, hidden units 0.5. */
const COMPARE_HIDDEN_KEEP = 0.5;

export interface RunSetup {
  readonly label: string;
  readonly state: PageState;
}

/** The runs the worker trains: the experiment as set, or none / L2 / dropout side by side. */
export function runSetups(s: PageState): RunSetup[] {
  if (!s.compare) return [{ label: "as set", state: s }];
  const noDropout = s.keepProbs.map(() => 1);
  const dropping = s.keepProbs.some((p) => p < 1);
  const keepProbs = dropping ? s.keepProbs : s.keepProbs.map((p, i) => (i === 0 ? 1 : COMPARE_HIDDEN_KEEP));
  const l2 = s.l2 > 0 ? s.l2 : COMPARE_L2;
  return [
    { label: "no regularization", state: { ...s, keepProbs: noDropout, l2: 0, maxNorm: undefined } },
    { label: `L2 λ=${l2}`, state: { ...s, keepProbs: noDropout, l2, maxNorm: undefined } },
    { label: `dropout ${keepProbs.join(",")}`, state: { ...s, keepProbs, l2: 0 } },
  ];
}

/** Which run the diagram and the big plots show: the dropout column in compare mode. */
export function displayedRun(s: PageState): number {
  return s.compare ? 2 : 0;
}
