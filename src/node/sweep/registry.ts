// The store's list of sweeps, so workers (started with only a Redis URL) can
// find the queues to take jobs from, `sweep status` can list them, and a
// coordinator can tell its own queue from one holding another sweep's jobs.
// A sweep's record holds its kind, its canonical content, and its state:
// workers take jobs only from "running" sweeps.

import type { Redis } from "ioredis";
import { InputError, show } from "../../core/errors.js";
import { canonicalJson } from "./spec.js";

const SWEEPS = "dropout-lab:sweeps";
const recordKey = (name: string) => `dropout-lab:sweep:${name}`;

export type SweepKind = "tune" | "runs";
export type SweepState = "running" | "done";

export interface SweepRecord {
  readonly name: string;
  readonly kind: SweepKind;
  /** Canonical JSON of the sweep's content (no credentials: the URL is never stored). */
  readonly content: string;
  /** Milliseconds since 1970 when the sweep was first started. */
  readonly created: number;
  readonly state: SweepState;
}

/**
 * Registers the sweep `name` as running. An existing record must hold the
 * same content (else an InputError: the queue holds another sweep's jobs).
 */
export async function startSweep(redis: Redis, name: string, kind: SweepKind, content: unknown, shownUrl: string): Promise<void> {
  const text = canonicalJson(content);
  const key = recordKey(name);
  await redis.hsetnx(key, "content", text);
  const [stored, storedKind] = await redis.hmget(key, "content", "kind");
  if (stored !== text || (storedKind !== null && storedKind !== kind)) {
    throw new InputError(`queue ${show(name)} on ${shownUrl} holds another sweep's jobs; remove its keys (dropout-lab:sweep:${name}, bull:${name}:*) or use another database`);
  }
  await redis.hsetnx(key, "created", String(Date.now()));
  await redis.hset(key, "kind", kind, "state", "running");
  await redis.zadd(SWEEPS, "NX", Date.now(), name);
}

export async function setSweepState(redis: Redis, name: string, state: SweepState): Promise<void> {
  await redis.hset(recordKey(name), "state", state);
}

/** Every registered sweep, oldest first; records that do not parse are skipped. */
export async function listSweeps(redis: Redis): Promise<SweepRecord[]> {
  const names = await redis.zrange(SWEEPS, 0, -1);
  const records = await Promise.all(names.map(async (name) => ({ name, fields: await redis.hgetall(recordKey(name)) })));
  return records.flatMap(({ name, fields }) => {
    const { kind, content, created, state } = fields;
    if ((kind !== "tune" && kind !== "runs") || content === undefined || (state !== "running" && state !== "done")) return [];
    return [{ name, kind, content, created: Number(created), state }];
  });
}
