// The Redis behind a sweep: its URL (checked here, so a typo is one line and
// exit 2, not a hang) and the connections the coordinator, the workers and
// `sweep status` open. Credentials come from the URL (or REDIS_URL) and stay
// in this module's RedisTarget: everything printed or stored uses `shown`,
// which has them removed.
//
// Connections fail fast the first time (connectTimeout, one ping under a
// deadline) and then retry forever, so a Redis restarted mid-sweep is waited
// for rather than fatal (BullMQ's workers need maxRetriesPerRequest: null).

import { Redis, type RedisOptions } from "ioredis";
import { InputError, show } from "../../core/errors.js";

/** Where the sweep's Redis is; `shown` is safe to print (no credentials). */
export interface RedisTarget {
  readonly shown: string;
  readonly options: RedisOptions;
}

/** Redis's default number of databases: /DB must be in [0, MAX_DB]. */
const MAX_DB = 15;
/** How long the first connection may take before the command gives up. */
export const CONNECT_TIMEOUT_MS = 3000;

/**
 * Parses redis://[USER[:PASSWORD]@]HOST[:PORT][/DB] (rediss:// for TLS).
 * `text` undefined or "" means the REDIS_URL environment variable.
 */
export function parseRedisUrl(text: string | undefined, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const raw = text === undefined || text === "" ? env.REDIS_URL : text;
  if (raw === undefined || raw === "") throw new InputError("--queue needs a URL such as redis://127.0.0.1:6379/0 (or set REDIS_URL)");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`--queue ${show(redact(raw))} is not a URL; write redis://HOST:PORT[/DB]`);
  }
  const shown = `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname === "/" ? "" : url.pathname}`;
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw new InputError(`--queue ${show(shown)} must start with redis:// or rediss://`);
  if (url.hostname === "") throw new InputError(`--queue ${show(shown)} has no host; write redis://HOST:PORT[/DB]`);
  if (url.search !== "" || url.hash !== "") throw new InputError(`--queue ${show(shown)}: no ?query or #fragment is allowed; write redis://HOST:PORT[/DB]`);
  const dbText = url.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!/^\d{1,2}$/.test(dbText || "0") || db > MAX_DB) throw new InputError(`--queue ${show(shown)}: the database must be an integer in [0, ${MAX_DB}], got ${show(dbText)}`);
  const options: RedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? 6379 : Number(url.port),
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
  };
  return { shown, options };
}

/** The URL with any credentials replaced by "***" (for messages about a URL that did not parse). */
function redact(text: string): string {
  return text.replace(/\/\/[^@/]*@/, "//***@");
}

/**
 * A connection that has answered a ping within CONNECT_TIMEOUT_MS (else an
 * InputError naming the shown URL), and that afterwards reconnects forever.
 */
export async function connect(target: RedisTarget): Promise<Redis> {
  let ready = false;
  const redis = new Redis({
    ...target.options,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: null,
    // no retry before the first ping (a wrong URL fails at once), then forever
    retryStrategy: (times) => (ready ? Math.min(100 * times, 1000) : null),
  });
  let lastError: Error | undefined;
  const onError = (e: Error) => (lastError = e);
  redis.on("error", onError);
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new InputError(`cannot reach Redis at ${target.shown} within ${CONNECT_TIMEOUT_MS / 1000} s${lastError ? `: ${lastError.message}` : ""}`)), CONNECT_TIMEOUT_MS).unref(),
  );
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), deadline]);
    ready = true;
  } catch (e) {
    redis.disconnect();
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot reach Redis at ${target.shown}: ${(lastError ?? (e as Error)).message}`);
  }
  return redis;
}
