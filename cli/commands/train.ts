// `dropout-lab train`: trains one experiment, with progress, optional
// per-epoch checkpoints (atomic) and exact resume, and reports the History and
// the test-set result.

import { Command } from "commander";
import { join } from "node:path";
import { existsSync } from "node:fs";
import {
  InputError,
  evaluate,
  loadNetwork,
  saveNetwork,
  validateExperiment,
  type Backend,
  type ExperimentConfig,
  type Network,
  type Trainer,
  type TrainerState,
} from "../../src/index.js";
import { readJsonFile, writeJsonAtomic } from "../../src/node/index.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../experiment-flags.js";
import { saveModel } from "../model-file.js";
import { createProgress } from "../progress.js";
import { log, pct, printJson, table } from "../run.js";
import { createNetwork, createTrainer, loadExperimentData } from "../session.js";
import { addBackendFlag, backendChoiceFromFlag } from "../backend-flag.js";
import { writeRunReport } from "../run-report.js";

interface TrainFlags extends ExperimentFlags {
  save?: string;
  out?: string;
  checkpoint?: string;
  resume?: string;
  json?: boolean;
  backend?: string;
}

const CHECKPOINT_FORMAT = "dropout-lab/checkpoint";
const CHECKPOINT_FILE = "checkpoint.json";

export function trainCommand(): Command {
  const cmd = new Command("train").description("train a network with per-layer dropout and report noisy cost, clean J and accuracy");
  addExperimentFlags(cmd);
  addBackendFlag(cmd);
  return cmd
    .option("--save <file>", "write the trained model (network + experiment) as JSON")
    .option("--out <dir>", "write DIR/history.json and DIR/index.html (noisy cost, clean J and accuracy plots)")
    .option("--checkpoint <dir>", "write DIR/checkpoint.json atomically after every epoch")
    .option("--resume <dir>", "continue the run checkpointed in DIR (its experiment is used; ends bit-identical to an uninterrupted run)")
    .option("--json", "print one JSON object on stdout")
    .addHelpText(
      "after",
      `
Examples:
  $ dropout-lab train --data mnist --hidden 256,256 --keep-probs 1,0.5,0.5 --epochs 5 --save model.json
  $ dropout-lab train --data circle --layers 2,16,16,1 --activation tanh --keep-probs 1,0.8,0.8 --json
  $ dropout-lab train --data mnist --epochs 20 --checkpoint run1   (then after a crash: --resume run1)`,
    )
    .action(async (flags: TrainFlags) => {
      await train(flags);
    });
}

interface Checkpoint {
  experiment: ExperimentConfig;
  network: Network;
  trainer: TrainerState;
  seconds: number;
}

function readCheckpoint(dir: string, backend: Backend): Checkpoint {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) throw new InputError(`--resume ${JSON.stringify(dir)}: there is no ${CHECKPOINT_FILE} in that directory`);
  const json = readJsonFile(path, "--resume") as Record<string, unknown>;
  if (json?.format !== CHECKPOINT_FORMAT || json.version !== 1) {
    throw new InputError(`--resume ${JSON.stringify(dir)}: ${CHECKPOINT_FILE} is not a dropout-lab checkpoint (format ${JSON.stringify(json?.format)})`);
  }
  const trainer = json.trainer as TrainerState;
  if (typeof trainer !== "object" || trainer === null || !Number.isInteger(trainer.epoch)) throw new InputError(`${path}: the trainer section is malformed`);
  return {
    experiment: validateExperiment(json.experiment),
    network: loadNetwork(json.network, { source: path, backend }),
    trainer,
    seconds: typeof json.seconds === "number" ? json.seconds : 0,
  };
}

function writeCheckpoint(dir: string, experiment: ExperimentConfig, trainer: Trainer, seconds: number): void {
  writeJsonAtomic(join(dir, CHECKPOINT_FILE), {
    format: CHECKPOINT_FORMAT,
    version: 1,
    experiment,
    network: saveNetwork(trainer.network),
    trainer: trainer.snapshot(),
    seconds,
  });
}

async function train(flags: TrainFlags): Promise<void> {
  const started = performance.now();
  const choice = backendChoiceFromFlag(flags.backend);
  const backend = choice.backend;
  let config: ExperimentConfig;
  let resume: Checkpoint | undefined;
  if (flags.resume) {
    resume = readCheckpoint(flags.resume, backend);
    config = resume.experiment;
  } else {
    config = experimentFromFlags(flags);
  }
  const data = loadExperimentData(config);
  for (const note of data.info.notes) log(`note: ${note}`);
  const network = resume ? resume.network : createNetwork(config, data, backend);
  const trainer = createTrainer(config, data, network, resume?.trainer);
  const checkpointDir = flags.checkpoint ?? flags.resume;
  const progress = createProgress("train");
  const priorSeconds = resume?.seconds ?? 0;
  while (!trainer.done) {
    trainer.runEpoch({ onStep: progress.step, onEpoch: progress.epoch });
    if (checkpointDir) writeCheckpoint(checkpointDir, config, trainer, priorSeconds + (performance.now() - started) / 1000);
  }
  progress.done();
  const test = evaluate(network, data.test);
  const testCost = test.loss;
  if (flags.save) saveModel(flags.save, network, config);
  const seconds = priorSeconds + (performance.now() - started) / 1000;
  const history = trainer.history;
  if (flags.out) await writeRunReport(flags.out, config, history, test, seconds);
  if (flags.json) {
    printJson({
      config,
      network: network.spec,
      data: { name: data.name, train: data.train.size, dev: data.dev.size, test: data.test.size, droppedRows: data.info.droppedRows, notes: data.info.notes },
      history,
      test: { ...(test.accuracy === undefined ? {} : { accuracy: test.accuracy }), cost: testCost },
      seconds,
      backend: choice.reason,
      ...(flags.save ? { saved: flags.save } : {}),
    });
    return;
  }
  const classification = test.accuracy !== undefined;
  const rows = history.epochs.map((e) => [
    String(e.epoch),
    e.cleanCost.toFixed(4),
    classification ? pct(e.trainAccuracy) : e.trainLoss.toFixed(4),
    classification ? pct(e.devAccuracy) : (e.devLoss ?? Number.NaN).toFixed(4),
  ]);
  process.stdout.write(`${data.name}: ${data.train.size} train / ${data.dev.size} dev / ${data.test.size} test; network ${network.spec.layers.join("-")} ${network.spec.activation}, keepProbs ${network.spec.keepProbs.join("/")}\n`);
  process.stdout.write(table(["epoch", "clean J", classification ? "train acc" : "train loss", classification ? "dev acc" : "dev loss"], rows) + "\n");
  process.stdout.write(
    `test ${classification ? `accuracy ${pct(test.accuracy)}, ` : ""}loss ${testCost.toFixed(4)}; ${seconds.toFixed(1)} s` + (flags.save ? `; saved ${flags.save}` : "") + "\n",
  );
  process.stdout.write(`backend: ${choice.reason}\n`);
}
