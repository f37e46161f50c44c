// Visible messages: refused input (with the value and what is allowed, and
// which setting was kept) and failed runs. They stay until dismissed or until
// the same message replaces them, and sit in a live region for screen readers.

export class Messages {
  constructor(private readonly box: HTMLElement) {}

  show(text: string, kind: "error" | "info" = "error"): void {
    for (const old of Array.from(this.box.children)) if (old.querySelector("p")?.textContent === text) old.remove();
    const item = document.createElement("div");
    item.className = `message ${kind}`;
    const p = document.createElement("p");
    p.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss message");
    close.textContent = "×";
    close.addEventListener("click", () => item.remove());
    item.append(p, close);
    this.box.append(item);
    while (this.box.childElementCount > 4) this.box.firstElementChild!.remove();
  }

  clear(): void {
    this.box.replaceChildren();
  }
}
