// "dropout-lab/toolkit": what the toolkit measures and says about dropout,
// built on the engine ("dropout-lab"). Weight spreading, dropout as ridge,
// the keepProb advisor (its constants in ADVISOR_CONSTANTS) and the tuner,
// the cost-function check and gradient check, overfitting diagnosis, the
// advice benchmark, bias-variance, MC dropout, 95% intervals; the one
// experiment schema (config/experiment.ts) that CLI flags, the playground's
// URL, saved models and reports serialize; and the report's plots and HTML.

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
  type InputKind, type AdviceRequest, type LayerAdvice, type Advice, INPUT_KINDS, ADVISOR_CONSTANTS, ADVISOR_RULE, advise,
} from "./analysis/advisor.js";
export {
  type SearchSpec, type TuneExperiment, type TrialRun, type TrialResult, type TrialCheckpoint, type CheckpointHandle, type SegmentRequest, type TrialSegment, type SegmentOptions,
  DEFAULT_GRID, defaultSearchLayers, validateTuneExperiment, trialCount, trialKeepProbs, runTrialSegment, runTrial,
} from "./analysis/tune.js";
export { type TuneResult, tuneSchedule, tune } from "./analysis/tune-schedule.js";
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

export * from "./config/experiment.js";

export { linePlot, groupedBars, heatmap, PALETTE, type VegaLiteSpec, type LinePoint, type BarDatum, type HeatCell } from "./report/plots.js";
export { renderReportHtml, escapeHtml, type Report, type ReportSection, type ReportTable } from "./report/html.js";
export { costCurves, accuracyCurves } from "./report/curves.js";
