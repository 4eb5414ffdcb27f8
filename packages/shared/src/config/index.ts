export type { ConfigSource, ValueKind } from './config-sources.js';
export { CONFIG_SOURCES } from './config-sources.js';
export type { CpConfig, CpRole } from './cp-config.js';
export { CpConfigSchema, defaultCpConfig } from './cp-config.js';
export type { LoadConfigOptions } from './load-config.js';
export { loadCpConfig } from './load-config.js';
