// The lab's sections, in report order. A new section is a module added here.

import type { LabSection } from "./section.js";
import { adviseTuneSection } from "./sections/advise-tune.js";
import { checkSection } from "./sections/check.js";
import { diagnoseSection } from "./sections/diagnose.js";
import { mcSection } from "./sections/mc.js";
import { mnistDropoutSection } from "./sections/mnist-dropout.js";
import { ridgeSection } from "./sections/ridge.js";
import { spreadSection } from "./sections/spread.js";
import { studySection } from "./sections/study.js";

export const LAB_SECTIONS: readonly LabSection[] = [mnistDropoutSection, spreadSection, ridgeSection, adviseTuneSection, checkSection, diagnoseSection, studySection, mcSection];
