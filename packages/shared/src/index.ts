/**
 * @strait/shared — the resource model, stores, change events, tokens, the CA, config
 * loading, logging and errors shared by every Strait process. Siblings import only from here.
 */

export * from './bootstrap/index.js';
export * from './ca/index.js';
// configuration, lifecycle, diagnostics
export * from './config/index.js';
export * from './diagnostics/index.js';
export * from './envoy-launcher/index.js';
export type { ErrorCode, StraitErrorOptions, Violation } from './errors/strait-error.js';
// errors
export { invalid, isStraitError, StraitError } from './errors/strait-error.js';
export * from './grpc/index.js';
export * from './kds/index.js';
export * from './lifecycle/index.js';
export type { Logger, LoggerOptions } from './logging/logger.js';
// logging
export { createLogger, silentLogger } from './logging/logger.js';
export * from './mesh/index.js';
export type { ParseExpectations, UniversalObject } from './model/codec.js';
export { parseUniversal, toUniversal } from './model/codec.js';
export type {
  KdsDirection,
  ResourceDescriptor,
  ResourceScope,
  SpecLayout,
  SpecOf,
  ValidationContext,
} from './model/descriptor.js';
export type { ResourceRegistry } from './model/registry.js';
export { createRegistry } from './model/registry.js';
export type { Resource, ResourceInput, ResourceKey, ResourceMeta } from './model/resource.js';
// resource model
export { formatKey, keyOf } from './model/resource.js';
export { pointerToField, validateAgainstSchema } from './model/validate-spec.js';
export * from './policies/index.js';
// built-in resource types
export * from './resources/index.js';
export * from './store/index.js';
// stores
export type {
  ChangeEvent,
  ChangeListener,
  ListPage,
  ListQuery,
  ResourceStore,
  WriteOp,
  WriteOptions,
} from './store/store.js';
export * from './tokens/index.js';
