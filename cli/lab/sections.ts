// The lab's sections, in report order. A new section is a module added here.

import type { LabSection } from "./section.js";
import { mnistDropoutSection } from "./sections/mnist-dropout.js";

export const LAB_SECTIONS: readonly LabSection[] = [mnistDropoutSection];
