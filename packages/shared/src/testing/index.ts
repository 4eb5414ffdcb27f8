/**
 * @strait/shared/testing — helpers for tests across the workspace: example resources of
 * every built-in type, valid and invalid.
 */
export { type InvalidExample, invalidExamples, type ValidExample, validExamples } from './examples.js';
