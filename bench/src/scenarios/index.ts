/** The scenario registry: adding a scenario is adding its file and one line here. */

import type { Scenario } from '../scenario.js';
import { kdsFanoutScenario } from './kds-fanout.js';
import { xdsScaleScenario } from './xds-scale.js';

/** Every scenario, in the order `pnpm bench` runs them by default. */
export const scenarios: readonly Scenario[] = [xdsScaleScenario, kdsFanoutScenario];

/** The scenario called `name`, if any. */
export function scenarioNamed(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}
