// The data vocabulary shared by the CLI flag, the experiment config and the
// playground URL: a short text such as "mnist", "fashion-mnist:/data/fm",
// "csv:runs.csv" or "spiral" parses to a DataSpec and formats back to the
// same text. Pure, so the browser can use it.

import { InputError, show } from "../core/errors.js";
import { assertNever } from "../core/ops.js";
import { UCI_NAMES, isUciName, type UciName } from "./uci.js";

export type SyntheticName = "circle" | "xor" | "gauss" | "spiral" | "four-inputs" | "linear";

export const SYNTHETIC_NAMES: readonly SyntheticName[] = ["circle", "xor", "gauss", "spiral", "four-inputs", "linear"];

/** Where Debian's dataset-fashion-mnist package puts the IDX files. */
export const DEFAULT_FASHION_DIR = "/usr/share/datasets/fashion-mnist";

export type DataSpec =
  | { readonly name: "mnist" }
  | { readonly name: "fashion-mnist"; readonly dir: string }
  | { readonly name: "penguins" }
  | { readonly name: "seattle-weather" }
  | { readonly name: UciName }
  | { readonly name: "csv"; readonly path: string }
  | { readonly name: SyntheticName };

/** Every accepted form, as listed in error messages and help text. */
export const DATA_SPEC_FORMS: readonly string[] = ["mnist", "fashion-mnist[:DIR]", "penguins", "seattle-weather", ...UCI_NAMES, "csv:PATH", ...SYNTHETIC_NAMES];

export function isSyntheticName(name: string): name is SyntheticName {
  return (SYNTHETIC_NAMES as readonly string[]).includes(name);
}

/**
 * Parses "NAME" or "NAME:ARG" (split at the first colon, so paths may hold
 * colons). Only fashion-mnist (a directory, optional) and csv (a path,
 * required) take an argument.
 */
export function parseDataSpec(text: string): DataSpec {
  if (typeof text !== "string") throw new InputError(`data must be a string such as "mnist", got ${show(text)}`);
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const name = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const arg = colon < 0 ? undefined : trimmed.slice(colon + 1).trim();
  const noArg = (spec: DataSpec): DataSpec => {
    if (arg !== undefined) throw new InputError(`data ${show(text)}: ${name} takes no ":" argument; write just "${name}"`);
    return spec;
  };
  switch (name) {
    case "mnist":
    case "penguins":
    case "seattle-weather":
      return noArg({ name });
    case "fashion-mnist":
      if (arg === "") throw new InputError(`data ${show(text)}: the directory after "fashion-mnist:" is empty; write "fashion-mnist" for ${DEFAULT_FASHION_DIR} or "fashion-mnist:DIR"`);
      return { name, dir: arg ?? DEFAULT_FASHION_DIR };
    case "csv":
      if (!arg) throw new InputError(`data ${show(text)}: csv needs a file path, as in "csv:data/table.csv"`);
      return { name, path: arg };
    default:
      if (isSyntheticName(name) || isUciName(name)) return noArg({ name });
      throw new InputError(`data ${show(text)} is not known; allowed: ${DATA_SPEC_FORMS.join(", ")}`);
  }
}

/** The text form of a spec; parseDataSpec(formatDataSpec(s)) equals s. */
export function formatDataSpec(spec: DataSpec): string {
  switch (spec.name) {
    case "fashion-mnist":
      return spec.dir === DEFAULT_FASHION_DIR ? "fashion-mnist" : `fashion-mnist:${spec.dir}`;
    case "csv":
      return `csv:${spec.path}`;
    case "mnist":
    case "penguins":
    case "seattle-weather":
    case "digits":
    case "breast-cancer":
    case "wine":
    case "circle":
    case "xor":
    case "gauss":
    case "spiral":
    case "four-inputs":
    case "linear":
      return spec.name;
    default:
      return assertNever(spec);
  }
}
