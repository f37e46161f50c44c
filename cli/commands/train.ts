// `dropout-lab train`: trains one experiment, with progress, optional
// per-epoch checkpoints (atomic) and exact resume, and reports the History and
// the test-set result.

import { Command } from "commander";
import { join } from "node:path";
import { evaluate, resolveNetworkSpec, type ExperimentConfig } from "../../src/index.js";
import { checkOutputPaths } from "../../src/node/index.js";
import { CHECKPOINT_FILE, checkResumedNetwork, lockCheckpointDir, readCheckpoint, resumeEpochs, resumedExperiment, writeCheckpoint, type Checkpoint } from "../checkpoint-file.js";
import { dataInputs } from "../outputs.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../experiment-flags.js";
import { saveModel } from "../model-file.js";
import { createProgress } from "../progress.js";
import { log, pct, printJson, table } from "../run.js";
import { createNetwork, createTrainer, loadExperimentData } from "../session.js";
import { addBackendFlag, backendFromFlag } from "../backend-flag.js";
import { REPORT_FILES, writeRunReport } from "../run-report.js";

interface TrainFlags extends ExperimentFlags {
  save?: string;
  out?: string;
  checkpoint?: string;
  resume?: string;
  json?: boolean;
  backend?: string;
}

/** The train flags that are not experiment flags (they may come with --resume). */
const OWN_FLAGS = ["save", "out", "checkpoint", "resume", "json", "backend"];

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

async function train(flags: TrainFlags): Promise<void> {
  const started = performance.now();
  const backend = backendFromFlag(flags.backend);
  let config: ExperimentConfig;
  let resume: Checkpoint | undefined;
  const notes: string[] = [];
  if (flags.resume !== undefined) {
    const epochs = resumeEpochs({ ...flags }, OWN_FLAGS);
    resume = readCheckpoint(flags.resume, backend);
    const resumed = resumedExperiment(resume, epochs, backend);
    config = resumed.experiment;
    notes.push(...resumed.notes);
  } else {
    config = experimentFromFlags(flags);
  }
  const checkpointDir = flags.checkpoint ?? flags.resume;
  checkOutputPaths(
    [
      { flag: "--save", path: flags.save, kind: "file" },
      { flag: "--out", path: flags.out, kind: "dir", files: REPORT_FILES },
      { flag: flags.checkpoint === undefined ? "--resume" : "--checkpoint", path: checkpointDir, kind: "dir", files: [CHECKPOINT_FILE] },
    ],
    dataInputs(config, flags.config),
  );
  if (checkpointDir !== undefined) process.once("exit", lockCheckpointDir(flags.checkpoint === undefined ? "--resume" : "--checkpoint", checkpointDir));
  const data = loadExperimentData(config);
  if (resume) checkResumedNetwork(join(flags.resume!, CHECKPOINT_FILE), resume.network, resolveNetworkSpec(config, data.train));
  const network = resume ? resume.network : createNetwork(config, data, backend);
  const trainer = createTrainer(config, data, network, resume?.trainer);
  for (const note of [...data.info.notes, ...notes]) log(`note: ${note}`); // after every check, so a refusal is one line
  const progress = createProgress("train");
  const priorSeconds = resume?.seconds ?? 0;
  while (!trainer.done) {
    trainer.runEpoch({ onStep: progress.step, onEpoch: progress.epoch });
    if (checkpointDir) writeCheckpoint(checkpointDir, config, trainer, priorSeconds + (performance.now() - started) / 1000);
  }
  progress.done();
  const test = evaluate(network, data.test);
  const testCost = test.loss;
  const noTest = data.test.size === 0; // evaluate() of no examples is NaN
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
      test: noTest ? { examples: 0 } : { ...(test.accuracy === undefined ? {} : { accuracy: test.accuracy }), cost: testCost },
      seconds,
      ...(flags.save ? { saved: flags.save } : {}),
    });
    return;
  }
  const classification = network.spec.loss !== "mse";
  const rows = history.epochs.map((e) => [
    String(e.epoch),
    e.cleanCost.toFixed(4),
    classification ? pct(e.trainAccuracy) : e.trainLoss.toFixed(4),
    classification ? pct(e.devAccuracy) : (e.devLoss?.toFixed(4) ?? "-"),
  ]);
  process.stdout.write(`${data.name}: ${data.train.size} train / ${data.dev.size} dev / ${data.test.size} test; network ${network.spec.layers.join("-")} ${network.spec.activation}, keepProbs ${network.spec.keepProbs.join("/")}\n`);
  process.stdout.write(table(["epoch", "clean J", classification ? "train acc" : "train loss", classification ? "dev acc" : "dev loss"], rows) + "\n");
  process.stdout.write(
    (noTest ? "test: none (the test split is empty)" : `test ${classification ? `accuracy ${pct(test.accuracy)}, ` : ""}loss ${testCost.toFixed(4)}`) +
      `; ${seconds.toFixed(1)} s` +
      (flags.save ? `; saved ${flags.save}` : "") +
      "\n",
  );
}
