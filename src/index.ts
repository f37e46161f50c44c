// The public API of dropout-lab: everything the CLI, the playground and users
// import. Node-only pieces (file loaders) live in "dropout-lab/node".

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

export { gradientCheck, toFloat64, type GradCheckResult, type GradCheckOptions } from "./analysis/gradcheck.js";
export { type Quantiles, mean, std, median, quantiles, quantileSorted, successiveDifferenceStd } from "./analysis/stats.js";
export {
  type Interval, type Comparison, type Direction, interval, compare, directionOf, describeDifference, formatInterval, studentTQuantile, studentTCdf,
} from "./analysis/intervals.js";
export {
  type UnitSpread, type LayerSpread, type SpreadMethod, type SpreadRun, type FourInputsOptions, type FourInputsResult,
  SPREAD_METHODS, DEFAULT_SPREAD_L2_PER_EXAMPLE, weightSpread, matrixSpread, networkSpread, fourInputsExperiment,
} from "./analysis/spread.js";
export {
  type DropoutExpectation, type DropoutRegressionOptions, type DropoutRegressionResult, type RidgeFeature,
  MAX_ENUMERATED_ENTRIES, gramMatrix, moment, solveLinear, dropoutPenaltyCoefficients, dropoutExpectedCost, dropoutRidgeSolution,
  ridgeSolution, matchedRidgeLambda, enumerateDropoutExpectation, expectationCost, dropoutRegression,
} from "./analysis/ridge.js";
export {
  type InputKind, type AdviceRequest, type LayerAdvice, type Advice, INPUT_KINDS, ADVISOR_RULE, MIN_DROPOUT_PARAMS, LARGE_FRACTION,
  PLENTY_PER_WEIGHT, ABUNDANT_PER_WEIGHT, HIGH_DIMENSIONAL_INPUTS, STRONG_KEEP_PROB, MODERATE_KEEP_PROB, MEASURED_STRONG_KEEP_PROB, MEASURED_MODERATE_KEEP_PROB, INPUT_KEEP_PROB, advise,
} from "./analysis/advisor.js";
export {
  type SearchSpec, type TuneExperiment, type TrialRun, type TrialResult, type TrialCheckpoint, type CheckpointHandle, type SegmentRequest, type TrialSegment, type TuneResult,
  DEFAULT_GRID, defaultSearchLayers, validateTuneExperiment, trialCount, trialKeepProbs, runTrialSegment, runTrial, tuneSchedule, tune,
} from "./analysis/tune.js";
export { type CheckOptions, type CheckResult, checkCost } from "./analysis/check.js";
export {
  type Verdict, type DiagnoseOptions, type DiagnoseResult, type RunOutcome, type ArmSummary, type Thresholds, type Judgement, VERDICTS, MIN_GAP,
  GAP_SE_MULTIPLE, ACCEPTABLE_TRAIN_ERROR, DEFAULT_PATIENCE, DEFAULT_EPOCH_CAP, DEFAULT_SEEDS, diagnose, outcomeOf, summarizeArm, judgeBaseline, conclude, converging, recipeRun,
} from "./analysis/diagnose.js";
export {
  type StudyCase, type StudySettings, type StudyRun, type StudyRow, type ArmResult, type Arm, ARMS, keepProbGrid, studyRow, bestOnDev,
} from "./analysis/study.js";
export {
  type ExampleTerms, type Decomposition, exampleTerms, decompose, compareDecompositions,
} from "./analysis/bias-variance.js";
export {
  type Recipe, type RecipeChange, type RecipeField, type RecipeBase, type RecipeName, RECIPE_RULE, RECIPE_NAMES, parseRecipeName, adviseRecipe, applyRecipe,
} from "./analysis/recipe.js";
export { type McOptions, type McResult, type McCurvePoint, type Calibration, type CalibrationBin, mcDropout, calibration, errorDetectionAuc } from "./analysis/mc.js";

export { type Dataset, type Task, targetColumns, tensorDataset, uint8ImageDataset, subset } from "./data/dataset.js";
export { type DataSpec, type SyntheticName, SYNTHETIC_NAMES, DATA_SPEC_FORMS, DEFAULT_FASHION_DIR, parseDataSpec, formatDataSpec, isSyntheticName } from "./data/spec.js";
export { synthetic, type SyntheticData, type SyntheticOptions, DEFAULT_NOISE, DEFAULT_SYNTHETIC_SIZE, BINARY_CLASS_NAMES } from "./data/synthetic.js";
export { splitIndices, type SplitFractions, type SplitIndices } from "./data/split.js";
export { materialize, labelsOf } from "./data/dataset.js";

export * from "./config/experiment.js";

export { linePlot, groupedBars, heatmap, PALETTE, type VegaLiteSpec, type LinePoint, type BarDatum, type HeatCell } from "./report/plots.js";
export { renderReportHtml, escapeHtml, type Report, type ReportSection, type ReportTable } from "./report/html.js";
export { costCurves, accuracyCurves } from "./report/curves.js";
export {
  createWasmBackend,
  loadWasmBackend,
  wasmSimdSupported,
  threadsSupported,
  runHelper,
  type WasmBackend,
  type WasmBackendOptions,
  type HelperInit,
  type HelperHandle,
  type SpawnHelper,
  type ThreadStats,
} from "./backend/wasm.js";
export {
  selectBackend,
  chooseBackend,
  parseBackendName,
  setThreadPlatform,
  setNativePlatform,
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
