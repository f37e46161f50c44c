// The deployment files docs/SCALING.md points to must at least parse, and run
// the worker command against Redis.

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "./helpers.js";

const load = (name: string) => parse(readFileSync(join(ROOT, "deploy", name), "utf8"), { prettyErrors: true, strict: true, uniqueKeys: true });

describe("deploy files", () => {
  it("the Docker Compose file runs Redis with an append-only file and workers on it", () => {
    const compose = load("docker-compose.yml");
    expect(compose.services.redis.command).toEqual(expect.arrayContaining(["--appendonly", "yes"]));
    expect(compose.services.worker.command.slice(0, 5)).toEqual(["node", "bin/dropout-lab.js", "worker", "--queue", "redis://redis:6379"]);
  });

  it("the Kubernetes Deployment runs workers with REDIS_URL from a secret", () => {
    const k8s = load("k8s-workers.yaml");
    expect(k8s).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment" });
    expect(k8s.spec.selector.matchLabels).toEqual(k8s.spec.template.metadata.labels);
    const container = k8s.spec.template.spec.containers[0];
    expect(container.command.slice(0, 2)).toEqual(["dropout-lab", "worker"]);
    expect(container.env[0]).toMatchObject({ name: "REDIS_URL", valueFrom: { secretKeyRef: { key: "url" } } });
  });
});
