// A small static file server for the built playground (dist/web), behind
// `dropout-lab serve`. It listens on 127.0.0.1 unless told otherwise, serves
// only files inside its root (no directory traversal, not even through
// symbolic links), answers GET and HEAD, and sends the content types a
// browser needs to run module scripts, workers and WebAssembly, and the
// headers that make the page cross-origin isolated (so its workers may share
// WebAssembly memory: the wasm backend's threads).

import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { InputError, checkNumber } from "../core/errors.js";

export interface ServerOptions {
  /** Directory to serve; "/" serves its index.html. */
  readonly root: string;
  /** TCP port, 0 for any free one. */
  readonly port: number;
  /** Interface to listen on; default 127.0.0.1 (this machine only). */
  readonly host?: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:5173/ */
  readonly url: string;
  close(): Promise<void>;
}

export const CONTENT_TYPES: { readonly [ext: string]: string } = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * Sent with every response: the page becomes cross-origin isolated
 * (crossOriginIsolated === true), which browsers require before they share
 * memory between threads (SharedArrayBuffer, shared WebAssembly.Memory). The
 * playground loads nothing from other origins, so nothing breaks; its own
 * files may be used by same-origin pages only. web/vite.config.ts sends the
 * same headers from Vite's dev and preview servers.
 */
export const ISOLATION_HEADERS: { readonly [name: string]: string } = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
};

function send(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text), ...ISOLATION_HEADERS, ...extra });
  res.end(text);
}

/** The file a URL path names inside `root`, or undefined when it would leave it or is malformed. */
function localPath(root: string, url: string): string | undefined {
  const path = url.split(/[?#]/, 1)[0] ?? "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || !decoded.startsWith("/")) return undefined;
  const full = resolve(root, "." + decoded);
  return full === root || full.startsWith(root + sep) ? full : undefined;
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "405 method not allowed\n", { allow: "GET, HEAD" });
  const candidate = localPath(root, req.url ?? "/");
  if (!candidate) return send(res, 400, "400 bad request path\n");
  let file = candidate;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    file = await realpath(file);
    const info = await stat(file);
    if (!info.isFile() || !(file === root || file.startsWith(root + sep))) return send(res, 404, "404 not found\n");
    res.writeHead(200, {
      "content-type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": info.size,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      ...ISOLATION_HEADERS,
    });
    if (req.method === "HEAD") return void res.end();
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  } catch {
    send(res, 404, "404 not found\n");
  }
}

/** Serves `root` over HTTP until close(); resolves once listening. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = checkNumber("port", options.port, { min: 0, max: 65535, integer: true });
  const host = options.host ?? "127.0.0.1";
  let root: string;
  try {
    root = await realpath(resolve(options.root));
    if (!(await stat(root)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new InputError(`cannot serve ${JSON.stringify(options.root)}: it is not a directory (build the page first: npm run build:web)`);
  }
  const server = createServer((req, res) => {
    handle(root, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      fail(e.code === "EADDRINUSE" ? new InputError(`port ${port} on ${host} is already in use; pick another with --port, or 0 for any free port`) : e),
    );
    server.listen(port, host, () => ok());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.closeAllConnections();
        server.close((e) => (e ? fail(e) : ok()));
      }),
  };
}
