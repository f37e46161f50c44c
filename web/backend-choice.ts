// The backend choice in the toolbar: js (the plain reference: the CLI's
// --backend js reproduces a page run bit for bit), wasm (WebAssembly SIMD),
// and wasm on several threads, offered once the training worker reports it can
// run them (the page is cross-origin isolated). Beside it, what the worker
// runs: kernels, threads, and the chunks of products its helper threads
// computed, also written as data attributes, so a test reads what a person sees.

import type { BackendInfo } from "./protocol.js";
import type { PageBackend, PageState } from "./state.js";

/** Applies a choice; returns false when it was refused (the caller shows why). */
export type ChooseBackend = (backend: PageBackend, threads: number) => boolean;

/** The select's value for a choice: "js", "wasm" or "wasm:N" (N threads). */
function choiceValue(backend: PageBackend, threads: number): string {
  return backend === "wasm" && threads > 1 ? `wasm:${threads}` : backend;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

export class BackendChoice {
  /** Threads the worker said it could use (1 until it says more). */
  private available = 1;
  private shown: PageState | undefined;
  private offered = "";

  constructor(
    private readonly select: HTMLSelectElement,
    private readonly status: HTMLElement,
    choose: ChooseBackend,
  ) {
    select.addEventListener("change", () => {
      const [backend, threads] = select.value.split(":");
      const ok = choose(backend as PageBackend, Number(threads ?? "1"));
      select.setAttribute("aria-invalid", String(!ok));
    });
  }

  /** Shows the state's choice, offering "wasm, N threads" for the worker's N and for the state's own count. */
  sync(s: PageState): void {
    this.shown = s;
    const counts = [...new Set([this.available, s.backend === "wasm" ? s.threads : 1])].filter((n) => n > 1).sort((a, b) => a - b);
    const offered = counts.join(",");
    if (offered !== this.offered || this.select.options.length === 0) {
      this.offered = offered;
      this.select.replaceChildren(
        new Option("js (reference)", "js"),
        new Option("wasm (SIMD)", "wasm"),
        ...counts.map((n) => new Option(`wasm, ${n} threads`, `wasm:${n}`)),
      );
    }
    this.select.value = choiceValue(s.backend, s.threads);
  }

  /** Shows what the worker trains with, and learns how many threads it could use. */
  show(info: BackendInfo): void {
    if (info.threadsAvailable !== this.available) {
      this.available = info.threadsAvailable;
      if (this.shown) this.sync(this.shown);
    }
    let text = "plain TypeScript kernels";
    if (info.name === "wasm") {
      text = `${info.variant ?? ""} SIMD, ${plural(info.threads, "thread")}`.trim();
      if (info.threads > 1) text += `, ${plural(info.helperChunks, "chunk")} on helpers`;
      if (info.note) text += " (threads unavailable here)";
    }
    this.status.textContent = text;
    this.status.title = info.note ?? (info.threads > 1 ? "Large matrix products are split across the threads; results are bit for bit those of one thread." : "");
    Object.assign(this.status.dataset, {
      backend: info.name,
      variant: info.variant ?? "",
      threads: String(info.threads),
      productsSplit: String(info.productsSplit),
      helperChunks: String(info.helperChunks),
    });
  }
}
