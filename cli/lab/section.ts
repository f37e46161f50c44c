// The contract of a lab section: a module that runs its experiments and
// returns its claim, plots (as Vega-Lite specs), numbers and the commands that
// reproduce them. The lab command renders whatever sections it is given, so
// adding a section is adding a module to the list in lab.ts.

import type { BackendName } from "../../src/index.js";
import type { ReportTable, VegaLiteSpec } from "../../src/toolkit.js";
import type { LabRunner } from "./runner.js";

export interface LabContext {
  readonly quick: boolean;
  readonly seed: number;
  /** Worker threads available for independent runs. */
  readonly workers: number;
  /** Kernels for every run. */
  readonly backend: BackendName;
  /** Progress lines (stderr, terminals only). */
  log(message: string): void;
  /** Runs experiment configs on the workers, each config once per lab run. */
  readonly run: LabRunner;
  /** Where the study section keeps its finished runs (so a second lab run reads them back). */
  readonly studyDir: string;
}

export interface SectionResult {
  readonly claim: string;
  readonly plots: readonly { readonly spec: VegaLiteSpec; readonly caption?: string }[];
  readonly numbers: ReportTable;
  readonly findings: readonly string[];
  /** Rows for the printed summary table: [measurement, value]. */
  readonly summary: readonly (readonly [string, string])[];
  readonly commands: readonly string[];
  /** Machine-readable results for --json. */
  readonly json: unknown;
}

export interface LabSection {
  readonly id: string;
  readonly title: string;
  run(ctx: LabContext): Promise<SectionResult>;
}

export function pct(x: number | undefined, digits = 2): string {
  return x === undefined ? "-" : `${(100 * x).toFixed(digits)}%`;
}

/** Percentage points between two accuracies. */
export function points(x: number): string {
  return `${(100 * x).toFixed(2)} pts`;
}

/** The --backend flag a reproducing command needs: none for "auto", the commands' default. */
export function backendFlags(ctx: LabContext): string[] {
  return ctx.backend === "auto" ? [] : ["--backend", ctx.backend];
}

/** A signed number for a sentence: "+1.23" or "-0.45". */
export function signed(x: number, digits = 2): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
}
