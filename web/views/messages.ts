// Visible messages: refused input (with the value and what is allowed, and
// which setting was kept) and failed runs. They stay until dismissed or until
// the same message replaces them, and sit in a live region for screen readers.
// They are compact, one line each where they fit, in one box that scrolls past
// a few lines and floats over the bottom of the window (style.css): however
// many arrive, and whenever, they move nothing on the page.

export class Messages {
  private readonly list: HTMLElement;
  private readonly clearAll: HTMLButtonElement;

  constructor(private readonly box: HTMLElement) {
    this.list = document.createElement("div");
    this.list.className = "message-list";
    this.clearAll = document.createElement("button");
    this.clearAll.type = "button";
    this.clearAll.className = "text-button clear-all";
    this.clearAll.textContent = "Dismiss all";
    this.clearAll.addEventListener("click", () => this.clear());
    box.append(this.list, this.clearAll);
    this.update();
  }

  show(text: string, kind: "error" | "info" = "error"): void {
    for (const old of Array.from(this.list.children)) if (old.querySelector("p")?.textContent === text) old.remove();
    const item = document.createElement("div");
    item.className = `message ${kind}`;
    const p = document.createElement("p");
    p.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss message");
    close.textContent = "×";
    close.addEventListener("click", () => {
      item.remove();
      this.update();
    });
    item.append(p, close);
    this.list.append(item);
    while (this.list.childElementCount > 6) this.list.firstElementChild!.remove();
    this.update();
  }

  clear(): void {
    this.list.replaceChildren();
    this.update();
  }

  private update(): void {
    this.box.hidden = this.list.childElementCount === 0;
    this.clearAll.hidden = this.list.childElementCount < 2;
  }
}
