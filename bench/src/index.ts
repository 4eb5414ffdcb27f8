/** Benchmark scenarios and their runner's building blocks (`pnpm bench` is `main.ts`). */

export type { Scenario, ScenarioReport, ScenarioRunOptions } from './scenario.js';
export { scenarioNamed, scenarios } from './scenarios/index.js';
export type { KdsFanoutOptions, KdsFanoutResult } from './scenarios/kds-fanout.js';
export { kdsFanoutScenario, runKdsFanout } from './scenarios/kds-fanout.js';
export type { XdsScaleOptions, XdsScaleResult } from './scenarios/xds-scale.js';
export { runXdsScale, xdsScaleScenario } from './scenarios/xds-scale.js';
