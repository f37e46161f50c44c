// `dropout-lab advise`: keepProb per layer from parameter counts (and the
// number of training examples), each with its reason, and the rest of the
// dropout recipe (epochs, patience, max-norm; rate and momentum kept) for the default
// training settings, each change with its reason and source.

import { Command } from "commander";
import { ADVISOR_RULE, DEFAULT_EXPERIMENT, INPUT_KINDS, adviseRecipe, type InputKind } from "../../src/toolkit.js";
import { choiceFlag, numberListFlag, optionalNumberFlag } from "../parse.js";
import { printJson, table, terminalWidth, wrapWords } from "../run.js";

export function adviseCommand(): Command {
  return new Command("advise")
    .description("recommend a keepProb per layer from parameter counts, with reasons")
    .requiredOption("--layers <sizes>", "all layer sizes, inputs first, e.g. 784,512,512,10")
    .option("--examples <n>", "number of training examples (plenty of data per weight: less dropout)")
    .option("--input <kind>", `what the inputs are: ${INPUT_KINDS.join(" or ")}`)
    .option("--json", "print one JSON object on stdout")
    .addHelpText("after", `\nThe rule: ${ADVISOR_RULE}\n\nExample:\n  $ dropout-lab advise --layers 3,7,7,3,2,1`)
    .action((flags: { layers: string; examples?: string; input?: string; json?: boolean }) => {
      const layers = numberListFlag("--layers", flags.layers);
      const examples = optionalNumberFlag("--examples", flags.examples, { min: 1, integer: true });
      const inputKind: InputKind | undefined = flags.input === undefined ? undefined : choiceFlag("--input", flags.input, INPUT_KINDS);
      const recipe = adviseRecipe({ layers, ...(examples !== undefined ? { examples } : {}), ...(inputKind ? { inputKind } : {}) }, DEFAULT_EXPERIMENT);
      const advice = recipe.advice;
      if (flags.json) {
        printJson({ ...advice, recipe: recipe.changes });
        return;
      }
      process.stdout.write(
        table(
          ["layer", "units", "fed by", "weights", "keepProb", "reason"],
          advice.layers.map((l) => [l.index === 0 ? "input" : `hidden ${l.index}`, String(l.units), l.shape ? `W${l.index} ${l.shape[0]}x${l.shape[1]}` : "-", String(l.params), l.keepProb.toFixed(1), l.reason]),
        ) + "\n",
      );
      process.stdout.write(`--keep-probs ${advice.keepProbs.join(",")}\n`);
      if (recipe.changes.length > 1) {
        process.stdout.write(`\nThe rest of the recipe (train --recipe advised), from the default settings:\n`);
        const width = terminalWidth();
        for (const c of recipe.changes.slice(1)) {
          const [first = "", ...rest] = wrapWords(`${c.flag} ${c.from} -> ${c.to}: ${c.reason} (${c.source})`, width - 4);
          process.stdout.write([`  ${first}`, ...rest.map((line) => `    ${line}`)].join("\n") + "\n");
        }
      }
    });
}
