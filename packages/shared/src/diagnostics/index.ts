export type { DiagnosticsOptions, DiagnosticsServer } from './diagnostics-server.js';
export { createDiagnosticsServer } from './diagnostics-server.js';
export { processMetrics } from './process-metrics.js';
