// Builds the playground into dist/web: a static page with its worker, all
// code and data bundled, relative URLs so it can be served from any path.
// The dev and preview servers send the headers `dropout-lab serve` sends, so
// the page is cross-origin isolated there too (the wasm backend's threads).

import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { ISOLATION_HEADERS } from "../src/node/serve.js";
import { mnistSubset } from "./build/mnist-subset.js";
import { MNIST_PER_DIGIT } from "./sizes.js";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "./",
  publicDir: false,
  clearScreen: false,
  // The worker imports the MNIST subset: its own bundle needs the plugin, and so does the dev server.
  plugins: [mnistSubset(MNIST_PER_DIGIT)],
  worker: { format: "es", plugins: () => [mnistSubset(MNIST_PER_DIGIT)] },
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 400,
  },
  server: { host: "127.0.0.1", headers: { ...ISOLATION_HEADERS } },
  preview: { host: "127.0.0.1", headers: { ...ISOLATION_HEADERS } },
});
