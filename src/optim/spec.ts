// Optimizer and schedule specs arrive as plain JSON (config files, CLI flags,
// the playground's URL). This reads a tagged object { kind, ...fields }
// strictly: the kind must be known and every other field must belong to that
// kind, so a typo such as "beta_1" is an error naming the field rather than a
// setting silently ignored.

import { InputError, show } from "../core/errors.js";

/**
 * Checks that `value` is a plain object whose `kind` is a key of `fieldsByKind`
 * and whose other fields are all listed for that kind. Field values are left
 * to the caller to check (a missing one reads as undefined).
 */
export function readTagged<K extends string>(
  what: string,
  value: unknown,
  fieldsByKind: { readonly [k in K]: readonly string[] },
): { readonly kind: K; readonly fields: { readonly [field: string]: unknown } } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(`${what} must be an object with a "kind" field, got ${show(value)}`);
  }
  const fields = value as { readonly [field: string]: unknown };
  const kinds = Object.keys(fieldsByKind) as K[];
  const kind = fields["kind"];
  if (typeof kind !== "string" || !(kinds as string[]).includes(kind)) {
    throw new InputError(`${what}.kind must be one of ${kinds.map(show).join(", ")}, got ${show(kind)}`);
  }
  const allowed = fieldsByKind[kind as K];
  for (const key of Object.keys(fields)) {
    if (key !== "kind" && !allowed.includes(key)) {
      throw new InputError(
        `${what} has unknown field ${show(key)}; the fields of kind ${show(kind)} are: ${["kind", ...allowed].join(", ")}`,
      );
    }
  }
  return { kind: kind as K, fields };
}
