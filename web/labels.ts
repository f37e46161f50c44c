// The names people see. The engine's and the schema's errors name settings as
// the code does (`batchSize`, `keep-probs[1]`, `--optimizer`); the page
// rewrites the leading name into the label printed beside the field, so an
// error reads "Batch size must be ..." next to the box called Batch size.

/** The label of each setting key (the URL's and the CLI flag's name) as the page shows it. */
const LABELS: Readonly<Record<string, string>> = {
  data: "Data set",
  noise: "Noise",
  size: "Examples",
  "train-fraction": "Training share",
  layers: "Layers",
  hidden: "Hidden layers",
  activation: "Activation",
  "keep-probs": "keepProbs",
  optimizer: "Optimizer",
  lr: "Learning rate",
  batch: "Batch size",
  epochs: "Epochs",
  l2: "L2 λ",
  "max-norm": "Max-norm",
  seed: "Seed",
  compare: "Compare",
  backend: "Backend",
  threads: "Threads",
  test: "Show test data",
  "log-y": "Log y",
  continue: "Continue from these weights",
  uncertainty: "Uncertainty measure",
};

/** Internal names the engine and schema use, by the setting key they belong to. */
const ALIASES: Readonly<Record<string, string>> = {
  batchSize: "batch",
  "batch size": "batch",
  "learning rate": "lr",
  maxNorm: "max-norm",
  "--optimizer": "optimizer",
  trainFraction: "train-fraction",
};

export function settingLabel(key: string): string {
  return LABELS[key] ?? key;
}

/** The name of keepProb `index` as the page shows it. */
export function keepProbName(index: number): string {
  return index === 0 ? "the input layer" : `hidden layer ${index}`;
}

/**
 * An error message with its leading setting name replaced by the page's
 * label: "batchSize must be ..." -> "Batch size must be ...",
 * "keep-probs[0] (input layer) must ..." -> "keepProb of the input layer must ...",
 * "layers[2] must ..." -> "Hidden layer 2 size must ...". Other messages pass unchanged.
 */
export function labelled(message: string): string {
  const indexed = /^(keep-probs|layers)\[(\d+)\](?: \(input layer\))? /.exec(message);
  if (indexed) {
    const i = Number(indexed[2]);
    const name = indexed[1] === "keep-probs" ? `keepProb of ${keepProbName(i)}` : `Hidden layer ${i} size`;
    return `${name} ${message.slice(indexed[0].length)}`;
  }
  const head = /^(\S+(?: size| rate)?) (must|applies|needs|for)\b/.exec(message);
  if (!head) return message;
  const key = ALIASES[head[1]!] ?? head[1]!;
  return LABELS[key] ? `${LABELS[key]}${message.slice(head[1]!.length)}` : message;
}
