// Errors that carry what the caller needs to act: bad input from a person or a
// file (InputError: the CLI maps it to exit code 2) and failures of a run
// itself (RunError: exit code 1). Messages name the value and what is allowed.

/** Something the user supplied (a flag, a config field, a data file) is invalid. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** The run itself failed (for example, training diverged). */
export class RunError extends Error {
  override readonly name: string = "RunError";
}

/** Training produced a NaN or infinite cost. */
export class DivergenceError extends RunError {
  override readonly name = "DivergenceError";
  constructor(
    readonly step: number,
    readonly lastFiniteCost: number | undefined,
  ) {
    super(
      `training diverged at step ${step}: the cost became NaN or infinite` +
        (lastFiniteCost === undefined ? " on the first step" : ` (last finite cost ${lastFiniteCost.toPrecision(4)})`) +
        "; lower the learning rate or check the data",
    );
  }
}

/** Longest text show() quotes whole; a longer one is cut, with its length. */
const SHOW_CHARS = 80;

/** Formats a value for an error message: strings quoted (a long one cut, with its length), numbers as written. */
export function show(value: unknown): string {
  if (typeof value === "string") return value.length > SHOW_CHARS ? `${JSON.stringify(value.slice(0, SHOW_CHARS - 3) + "...")} (${value.length} characters)` : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    return String(value);
  }
}

/** Throws an InputError unless `value` is a finite number within [min, max] (bounds inclusive unless stated). */
export function checkNumber(
  what: string,
  value: unknown,
  range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; integer?: boolean },
): number {
  const lo = range.min === undefined ? "" : `${range.minExclusive ? "(" : "["}${range.min}`;
  const hi = range.max === undefined ? "" : `${range.max}${range.maxExclusive ? ")" : "]"}`;
  const allowed =
    (range.integer ? "an integer" : "a number") +
    (lo && hi ? ` in ${lo}, ${hi}` : lo ? (range.minExclusive ? ` > ${range.min}` : ` >= ${range.min}`) : hi ? (range.maxExclusive ? ` < ${range.max}` : ` <= ${range.max}`) : "");
  const bad = () => new InputError(`${what} must be ${allowed}, got ${show(value)}`);
  if (typeof value !== "number" || !Number.isFinite(value)) throw bad();
  if (range.integer && !Number.isInteger(value)) throw bad();
  if (range.min !== undefined && (range.minExclusive ? value <= range.min : value < range.min)) throw bad();
  if (range.max !== undefined && (range.maxExclusive ? value >= range.max : value > range.max)) throw bad();
  return value;
}

/** Validates a keep probability: 0 < keepProb <= 1, never clamped. */
export function checkKeepProb(what: string, value: unknown): number {
  return checkNumber(what, value, { min: 0, minExclusive: true, max: 1 });
}
