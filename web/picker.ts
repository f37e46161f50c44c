// The data set picker: one radio button per set, each drawn as a small
// picture (the 2-D sets from the engine's own generator, the others as
// icons), so choosing data is one click or arrow keys away.

import { Rng, materialize, synthetic } from "../src/index.js";
import { PAGE_DATA, type PageData } from "./state.js";
import { COLORS, css, fitCanvas } from "./views/paint.js";

const TITLES: { readonly [D in PageData]: string } = {
  circle: "Circle",
  xor: "XOR",
  gauss: "Gauss",
  spiral: "Spiral",
  "four-inputs": "4 inputs",
  mnist: "MNIST",
};

function drawSet(canvas: HTMLCanvasElement, data: PageData): void {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.fillStyle = "#f4f4f4";
  ctx.fillRect(0, 0, width, height);
  if (data === "four-inputs") {
    const heights = [0.8, 0.45, 0.4, 0.5];
    heights.forEach((h, i) => {
      ctx.fillStyle = css(i === 0 ? COLORS.pos : COLORS.neg, 0.85);
      ctx.fillRect(6 + i * ((width - 12) / 4), height - 6 - h * (height - 12), (width - 12) / 4 - 4, h * (height - 12));
    });
    return;
  }
  if (data === "mnist") {
    ctx.fillStyle = "#222";
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = "#fff";
    ctx.font = `bold ${Math.round(height * 0.62)}px system-ui, sans-serif`;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText("7", width / 2, height / 2 + 2);
    return;
  }
  const { x, y } = materialize(synthetic(data, { n: 160, noise: 0, rng: Rng.fromSeed(1).stream("thumbnail") }).data);
  const scale = width / 12;
  for (let i = 0; i < y.rows; i++) {
    ctx.fillStyle = css(y.data[i] ? COLORS.pos : COLORS.neg);
    ctx.beginPath();
    ctx.arc((x.data[2 * i]! + 6) * scale, (6 - x.data[2 * i + 1]!) * scale, 1.6, 0, 2 * Math.PI);
    ctx.fill();
  }
}

export class DataPicker {
  private readonly inputs = new Map<PageData, HTMLInputElement>();

  constructor(box: HTMLElement, onPick: (data: PageData) => void) {
    for (const data of PAGE_DATA) {
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "data";
      input.value = data;
      input.addEventListener("change", () => input.checked && onPick(data));
      const canvas = document.createElement("canvas");
      // a picture of the set beside its name, which names the radio button: decoration to a screen reader
      canvas.setAttribute("aria-hidden", "true");
      const label = document.createElement("label");
      label.className = "dataset-choice";
      label.title = data === "mnist" ? "MNIST digits: a bundled subset of 1,000 images" : `the ${data} set`;
      label.append(input, canvas, TITLES[data]);
      box.append(label);
      this.inputs.set(data, input);
      requestAnimationFrame(() => drawSet(canvas, data));
    }
  }

  sync(data: PageData): void {
    const input = this.inputs.get(data);
    if (input && !input.checked) input.checked = true;
  }
}
