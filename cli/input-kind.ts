// What a data spec's inputs are, for the advisor: images are high-dimensional
// and redundant; tables are structured data. Synthetic sets are neither.

import type { InputKind } from "../src/toolkit.js";

export function inferInputKind(data: string): InputKind | undefined {
  const name = data.split(":")[0];
  if (name === "mnist" || name === "fashion-mnist" || name === "digits") return "image";
  if (name === "penguins" || name === "seattle-weather" || name === "breast-cancer" || name === "wine" || name === "csv") return "tabular";
  return undefined;
}
