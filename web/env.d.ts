// Types for what Vite provides at build time: the bundled MNIST subset.

declare module "virtual:mnist-subset" {
  /** Images per digit; the images are digit after digit (0 first). */
  export const PER_DIGIT: number;
  /** The images as gzip-compressed bytes (28 x 28 per image, row-major), base64-encoded. */
  export const GZIP_BASE64: string;
}
