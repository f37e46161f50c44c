// The raw table every structured source is read into before encoding: column
// names and rows of text cells, plus where each row came from, so that errors
// can name the file and line (CSV) or record (JSON). Also the two rules that
// decide what a cell means: which texts count as missing, and which parse as
// numbers.

import { InputError, show } from "../core/errors.js";

export interface Table {
  /** File or data set name, used in messages. */
  readonly source: string;
  readonly columns: readonly string[];
  /** rows[i][j] is the cell of row i in column j, surrounding spaces trimmed. */
  readonly rows: readonly (readonly string[])[];
  /** origin[i] is the line (CSV, 1-based) or record (JSON, 1-based) where row i starts. */
  readonly origin: readonly number[];
  readonly originKind: "line" | "record";
}

/** "penguins.json record 4" or "weather.csv line 12": where row i of the table came from. */
export function whereRow(table: Table, i: number): string {
  return `${table.source} ${table.originKind} ${table.origin[i]}`;
}

/**
 * Cells that mean "no value": the empty cell and the usual placeholders NA,
 * N/A, NaN, nan, null, NULL, plus "." (the placeholder of the original Palmer
 * penguins data, and SAS's missing value).
 */
export const MISSING_VALUES: readonly string[] = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "."];
const missing = new Set(MISSING_VALUES);

export function isMissing(cell: string): boolean {
  return missing.has(cell);
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number a cell holds, or undefined: plain decimal notation with an
 * optional sign, fraction and exponent ("-1.5", ".5", "3e-2"). Thousands
 * separators, hexadecimal, "Infinity" and the like are not numbers here.
 */
export function parseNumber(cell: string): number | undefined {
  if (!NUMBER.test(cell)) return undefined;
  const v = Number(cell);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * A table from a JSON array of flat objects (like vega-datasets' penguins).
 * Columns are the keys in order of first appearance; null or an absent key is
 * a missing cell; numbers and booleans become their text.
 */
export function tableFromRecords(records: unknown, source: string): Table {
  if (!Array.isArray(records)) throw new InputError(`${source} must hold a JSON array of objects, got ${show(typeof records)}`);
  const columns: string[] = [];
  const index = new Map<string, number>();
  records.forEach((rec, i) => {
    if (typeof rec !== "object" || rec === null || Array.isArray(rec)) {
      throw new InputError(`${source} record ${i + 1} must be an object of column values, got ${show(rec)}`);
    }
    for (const key of Object.keys(rec)) {
      if (!index.has(key)) {
        index.set(key, columns.length);
        columns.push(key);
      }
    }
  });
  if (columns.length === 0) throw new InputError(`${source} has no records with columns`);
  const rows = records.map((rec: Record<string, unknown>, i) =>
    columns.map((col) => {
      const v = rec[col];
      if (v === null || v === undefined) return "";
      if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
      if (typeof v === "boolean") return String(v);
      if (typeof v === "string") return v.trim();
      throw new InputError(`${source} record ${i + 1}, column ${show(col)}: a cell must be a string, number, boolean or null, got ${show(v)}`);
    }),
  );
  return { source, columns, rows, origin: rows.map((_, i) => i + 1), originKind: "record" };
}
