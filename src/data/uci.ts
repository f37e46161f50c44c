// Three small real data sets from the UCI repository, in the CSV form
// scikit-learn ships them (data/uci/ in this repository, see its README):
// the 8x8 handwritten digits (64 pixel counts 0-16: an image set small enough
// for a table's budget), breast cancer Wisconsin and wine (tables). The text
// is parsed and checked here, pure, so the browser could use it too; the
// Node loader reads the files.

import { InputError, show } from "../core/errors.js";
import { zeros } from "../core/matrix.js";
import { tensorDataset, type Dataset } from "./dataset.js";

export type UciName = "digits" | "breast-cancer" | "wine";
export const UCI_NAMES: readonly UciName[] = ["digits", "breast-cancer", "wine"];

interface UciFormat {
  readonly file: string;
  /** Rows and features the file must hold. */
  readonly rows: number;
  readonly features: number;
  /** Class names (the last column holds their index). */
  readonly classes: readonly string[];
  /** sklearn's first line: "rows,features,class names..." (digits has none). */
  readonly header: boolean;
  /** Features are scaled by this (digits: pixel counts 0..16 to [0, 1]); tables are standardized by the loader. */
  readonly scale?: number;
  readonly note: string;
}

export const UCI_FORMATS: Readonly<Record<UciName, UciFormat>> = {
  digits: {
    file: "digits.csv.gz",
    rows: 1797,
    features: 64,
    classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    header: false,
    scale: 1 / 16,
    note: "digits: the 1,797 8x8 handwritten digits of UCI (Alpaydin and Kaynak), pixel counts 0-16 scaled to [0, 1]",
  },
  "breast-cancer": {
    file: "breast_cancer.csv",
    rows: 569,
    features: 30,
    classes: ["malignant", "benign"],
    header: true,
    note: "breast-cancer: UCI's breast cancer Wisconsin (diagnostic), 569 tumours, 30 features of cell nuclei",
  },
  wine: {
    file: "wine_data.csv",
    rows: 178,
    features: 13,
    classes: ["class_0", "class_1", "class_2"],
    header: true,
    note: "wine: UCI's wine data, 178 wines of 3 cultivars, 13 chemical measurements",
  },
};

export function isUciName(name: string): name is UciName {
  return (UCI_NAMES as readonly string[]).includes(name);
}

/**
 * Parses the text of `name`'s file: every row `features` numbers then a class
 * index; the header (when the format has one) must state the rows, features
 * and class names. Anything else is an InputError naming the line.
 */
export function parseUci(name: UciName, text: string, source: string): { data: Dataset; note: string } {
  const format = UCI_FORMATS[name];
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  let first = 0;
  if (format.header) {
    const head = (lines[0] ?? "").split(",").map((c) => c.trim());
    const expected = [String(format.rows), String(format.features), ...format.classes];
    if (head.join(",") !== expected.join(",")) throw new InputError(`${source}: line 1 must be ${show(expected.join(","))} (sklearn's header), got ${show(lines[0] ?? "")}`);
    first = 1;
  }
  const rows = lines.length - first;
  if (rows !== format.rows) throw new InputError(`${source}: ${name} has ${format.rows} rows of data, the file has ${rows}`);
  const x = zeros(rows, format.features), y = zeros(rows, 1);
  const scale = format.scale ?? 1;
  for (let r = 0; r < rows; r++) {
    const lineNo = r + first + 1;
    const cells = lines[r + first]!.split(",");
    if (cells.length !== format.features + 1) throw new InputError(`${source}: line ${lineNo} has ${cells.length} values, expected ${format.features + 1} (features, then the class)`);
    for (let j = 0; j < format.features; j++) {
      const v = Number(cells[j]);
      if (cells[j]!.trim() === "" || !Number.isFinite(v)) throw new InputError(`${source}: line ${lineNo}, column ${j + 1}: ${show(cells[j])} is not a number`);
      x.data[r * format.features + j] = v * scale;
    }
    const label = Number(cells[format.features]);
    if (!Number.isInteger(label) || label < 0 || label >= format.classes.length) {
      throw new InputError(`${source}: line ${lineNo}: the class ${show(cells[format.features])} must be an integer in [0, ${format.classes.length - 1}]`);
    }
    y.data[r] = label;
  }
  return { data: tensorDataset(x, y, { kind: "classification", classes: format.classes.length, classNames: format.classes }), note: format.note };
}
