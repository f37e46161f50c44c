// Sizes the page and its build must agree on, in a module with no imports so
// the Vite config can read them without loading the engine.

/** Images of each digit bundled into the page (web/build/mnist-subset.ts). */
export const MNIST_PER_DIGIT = 100;
export const MNIST_SUBSET_SIZE = 10 * MNIST_PER_DIGIT;
