// The static server behind `dropout-lab serve`: content types, index pages,
// 404s, HEAD, refused methods, no way out of its root directory, and the
// headers that make the page cross-origin isolated.

import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { request, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../src/node/serve.js";

/** A raw request, so paths reach the server exactly as written (no client-side normalization). */
function get(url: string, path: string, method = "GET"): Promise<{ status: number; type: string; body: string; headers: IncomingHttpHeaders }> {
  const { hostname, port } = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body, headers: res.headers }));
    });
    req.on("error", fail);
    req.end();
  });
}

describe("startServer", () => {
  let server: RunningServer;
  let outside: string;

  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), "dropout-lab-serve-"));
    const root = join(base, "site");
    mkdirSync(join(root, "assets"), { recursive: true });
    writeFileSync(join(root, "index.html"), "<!doctype html><title>hi</title>");
    writeFileSync(join(root, "assets", "app.js"), "export {};");
    writeFileSync(join(root, "assets", "style.css"), "body{}");
    writeFileSync(join(root, "assets", "mod.wasm"), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(join(root, "assets", "data.json"), "{}");
    writeFileSync(join(root, "assets", "icon.svg"), "<svg/>");
    outside = join(base, "secret.txt");
    writeFileSync(outside, "secret");
    symlinkSync(outside, join(root, "link.txt"));
    server = await startServer({ root, port: 0 });
  });

  afterAll(() => server.close());

  it("listens on 127.0.0.1 on a free port when asked for port 0", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.url).not.toMatch(/:0\/$/);
  });

  it("serves index.html for / and each file with its content type", async () => {
    const index = await get(server.url, "/");
    expect(index).toMatchObject({ status: 200, type: "text/html; charset=utf-8" });
    expect(index.body).toContain("<title>hi</title>");
    const types: [string, string][] = [
      ["/assets/app.js", "text/javascript; charset=utf-8"],
      ["/assets/style.css", "text/css; charset=utf-8"],
      ["/assets/mod.wasm", "application/wasm"],
      ["/assets/data.json", "application/json; charset=utf-8"],
      ["/assets/icon.svg", "image/svg+xml"],
    ];
    for (const [path, type] of types) expect(await get(server.url, path)).toMatchObject({ status: 200, type });
    expect((await get(server.url, "/index.html?x=1#y")).status).toBe(200);
  });

  it("answers 404 for missing files and HEAD without a body", async () => {
    expect((await get(server.url, "/nope.js")).status).toBe(404);
    expect((await get(server.url, "/assets/")).status).toBe(404);
    const head = await get(server.url, "/assets/app.js", "HEAD");
    expect(head).toMatchObject({ status: 200, body: "" });
    expect((await get(server.url, "/", "POST")).status).toBe(405);
  });

  it("sends the cross-origin isolation headers with every response (the wasm backend's threads need them)", async () => {
    for (const [path, method, status] of [["/", "GET", 200], ["/assets/app.js", "GET", 200], ["/assets/mod.wasm", "HEAD", 200], ["/nope.js", "GET", 404], ["/", "POST", 405]] as const) {
      const res = await get(server.url, path, method);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.headers, `${method} ${path}`).toMatchObject({
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
        "cross-origin-resource-policy": "same-origin",
      });
    }
  });

  it("never serves a file outside its root", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e%2f..%2fsecret.txt", "/..%5csecret.txt", "/%00", "/%zz", "/link.txt"]) {
      const res = await get(server.url, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body, path).not.toContain("secret");
    }
  });

  it("refuses a root that is not a directory and a port in use, by name", async () => {
    await expect(startServer({ root: outside, port: 0 })).rejects.toThrow(/not a directory/);
    const port = Number(new URL(server.url).port);
    await expect(startServer({ root: join(outside, ".."), port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    await expect(startServer({ root: join(outside, ".."), port: 70000 })).rejects.toThrow("port must be an integer in [0, 65535], got 70000");
  });
});
