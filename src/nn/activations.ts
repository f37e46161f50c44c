// Activation names as users write them (flags, JSON, URL), their validation,
// and the initialization each one wants. The kernels themselves live in the
// backend (fused with the bias add); this module is the vocabulary.

import { ACTIVATIONS, type Activation } from "../core/backend.js";
import { InputError, show } from "../core/errors.js";

export { ACTIVATIONS, type Activation };

/** Parses an activation name, throwing an InputError that lists the allowed names. */
export function parseActivation(value: unknown, what = "activation"): Activation {
  if (typeof value === "string" && (ACTIVATIONS as readonly string[]).includes(value)) return value as Activation;
  throw new InputError(`${what} must be one of ${ACTIVATIONS.join(", ")}; got ${show(value)}`);
}

/**
 * The initialization that keeps activations' variance steady through a stack
 * of such units: He for the relu family (variance 2 / fanIn), Glorot for the
 * saturating and linear ones (variance 2 / (fanIn + fanOut)).
 */
export function defaultInit(activation: Activation): "he" | "glorot" {
  return activation === "relu" || activation === "leaky-relu" ? "he" : "glorot";
}
