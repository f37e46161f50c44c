// "dropout-lab": the engine. Matrices and seeded streams, layers and
// networks (inverted dropout with a keepProb per layer), optimizers and
// penalties, the Trainer with early stopping and the run builder, data sets,
// and the js / WebAssembly / native-BLAS backends. The measurements, the
// advisor, the experiment schema and the report live in "dropout-lab/toolkit"
// (src/toolkit.ts); Node-only pieces (file loaders, worker pools, sweeps) in
// "dropout-lab/node". Thread plumbing (helper spawners, platform hooks) is
// internal: src/node and src/web import it from src/backend directly.

export { InputError, RunError, DivergenceError, checkKeepProb, checkNumber, show } from "./core/errors.js";
export { type Matrix, type DType, type FloatArray, zeros, matrix, fromRows, toRows, clone, cast, rowSlice, checkFinite } from "./core/matrix.js";
export { Rng, type RngState, type MaskBulk, type MaskTies } from "./core/rng.js";
export { type Backend, type Activation, ACTIVATIONS, LEAKY_SLOPE } from "./core/backend.js";
export { jsBackend, sigmoid } from "./core/ops.js";
export type { MomentumStep, AdamStep } from "./core/optim-kernels.js";

export { type Mode, type ForwardContext, type Param, type Layer, type LayerConfig } from "./nn/layer.js";
export { parseActivation, defaultInit } from "./nn/activations.js";
export { type InitKind, INITS, parseInit, initWeights } from "./nn/init.js";
export { Dense } from "./nn/dense.js";
export { Dropout } from "./nn/dropout.js";
export { type LossKind, LOSSES, parseLoss, lossForward, countCorrect, toProbabilities, argmaxRow, checkTargets } from "./nn/losses.js";
export { Network, type NetworkSpec, type NetworkOptions, validateNetworkSpec, MAX_UNITS, MAX_PARAMETERS, countParameters } from "./nn/network.js";
export { saveNetwork, loadNetwork, type SavedNetwork, NETWORK_FORMAT, NETWORK_VERSION } from "./nn/serialize.js";

export * from "./optim/optimizer.js";
export * from "./optim/schedule.js";
export { l2Cost, addL2Gradient, applyMaxNorm } from "./optim/penalties.js";

export { type TrainOptions, validateTrainOptions } from "./train/options.js";
export { fit, Trainer, checkData, type TrainData, type TrainCallbacks, type TrainerState, type StepProgress } from "./train/fit.js";
export { RUN_STREAMS, initNetwork, startTrainer, startRun, type NetworkSetup, type RunSetup, type TrainingRun } from "./train/run.js";
export { validateTrainerState, stepsPerEpoch, type TrainerStateContext } from "./train/checkpoint.js";
export { evaluate, cleanCost, type Evaluation } from "./train/evaluate.js";
export { type History, type StepRecord, type EpochRecord, emptyHistory, cleanCostRises, finalEpoch } from "./train/history.js";
export {
  type Monitor, type EarlyStoppingSpec, type EarlyStoppingState, type StopReason, type StopRecord, MONITORS, EarlyStopping, parseMonitor,
  validateEarlyStopping, monitoredValue,
} from "./train/early-stopping.js";

export { type Dataset, type Task, targetColumns, tensorDataset, uint8ImageDataset, subset } from "./data/dataset.js";
export { type DataSpec, type SyntheticName, SYNTHETIC_NAMES, DATA_SPEC_FORMS, DEFAULT_FASHION_DIR, parseDataSpec, formatDataSpec, isSyntheticName } from "./data/spec.js";
export { synthetic, type SyntheticData, type SyntheticOptions, DEFAULT_NOISE, DEFAULT_SYNTHETIC_SIZE, BINARY_CLASS_NAMES } from "./data/synthetic.js";
export { splitIndices, type SplitFractions, type SplitIndices } from "./data/split.js";
export { materialize, labelsOf } from "./data/dataset.js";

export {
  createWasmBackend,
  loadWasmBackend,
  wasmSimdSupported,
  threadsSupported,
  type WasmBackend,
  type WasmBackendOptions,
  type ThreadStats,
} from "./backend/wasm.js";
export {
  selectBackend,
  chooseBackend,
  parseBackendName,
  nativeBlas,
  wasmThreads,
  BACKEND_NAMES,
  type BackendName,
  type BackendChoice,
  type SelectOptions,
  type ThreadPlatform,
  type NativePlatform,
} from "./backend/select.js";
export {
  createNativeBackend,
  DEFAULT_MIN_BLAS,
  type NativeBackend,
  type NativeBackendOptions,
  type NativeBlas,
  type NativeStats,
  type Gemm,
  type GemmLayout,
} from "./backend/native.js";
export { mnistDigitsToBytes, IMAGE_PIXELS, MNIST_CLASS_NAMES, FASHION_CLASS_NAMES } from "./data/mnist.js";
