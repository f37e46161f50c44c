// Flag values are text; these turn them into numbers with errors that name the
// flag, the value as typed and what is allowed (exit 2 via InputError).

import { InputError, checkNumber } from "../src/index.js";

type Range = Parameters<typeof checkNumber>[2];

export function numberFlag(flag: string, text: string, range: Range = {}): number {
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v)) {
    // let checkNumber phrase what is allowed, with the text as typed
    try {
      checkNumber(flag, Number.NaN, range);
    } catch (e) {
      throw new InputError((e as Error).message.replace(/got NaN$/, `got ${JSON.stringify(text)}`));
    }
  }
  return checkNumber(flag, v, range);
}

export function optionalNumberFlag(flag: string, text: string | undefined, range: Range = {}): number | undefined {
  return text === undefined ? undefined : numberFlag(flag, text, range);
}

export function numberListFlag(flag: string, text: string): number[] {
  return text.split(",").map((part) => {
    const t = part.trim();
    const v = Number(t);
    if (t === "" || !Number.isFinite(v)) throw new InputError(`${flag} must be a comma-separated list of numbers, got ${JSON.stringify(text)}`);
    return v;
  });
}

export function choiceFlag<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new InputError(`${flag} must be one of ${choices.join(", ")}; got ${JSON.stringify(text)}`);
}

/** Most seeds one comparison runs. */
export const MAX_SEEDS = 100;

/**
 * --seeds: a count N (seeds base, base+1, ..., base+N-1, base from --seed) or
 * a comma-separated list of distinct seeds.
 */
export function seedsFlag(text: string, base: number): number[] {
  const allowed = `a count in [1, ${MAX_SEEDS}] or a comma-separated list of distinct non-negative integer seeds`;
  const bad = () => new InputError(`--seeds must be ${allowed}, got ${JSON.stringify(text)}`);
  if (!text.includes(",")) {
    const n = Number(text);
    if (text.trim() === "" || !Number.isInteger(n) || n < 1 || n > MAX_SEEDS) throw bad();
    return Array.from({ length: n }, (_, i) => base + i);
  }
  const seeds = text.split(",").map((t) => Number(t.trim()));
  if (seeds.length > MAX_SEEDS || seeds.some((s) => !Number.isSafeInteger(s) || s < 0) || new Set(seeds).size !== seeds.length) throw bad();
  return seeds;
}
