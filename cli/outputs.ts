// What a command reads, for the output-path check (checkOutputPaths): an
// output must never overwrite the command's own input, such as --save at the
// training CSV.

import { parseDataSpec } from "../src/index.js";
import { type ExperimentConfig } from "../src/toolkit.js";

export function dataInputs(config: ExperimentConfig, configFile?: string): { flag: string; path: string }[] {
  const inputs: { flag: string; path: string }[] = [];
  const spec = parseDataSpec(config.data);
  if (spec.name === "csv") inputs.push({ flag: "--data", path: spec.path });
  if (configFile !== undefined) inputs.push({ flag: "--config", path: configFile });
  return inputs;
}
