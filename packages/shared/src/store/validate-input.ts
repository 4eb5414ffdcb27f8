/**
 * The structural checks a store makes before any write or list: keys are non-empty strings,
 * labels are string-to-string, pages are non-negative integers. Type-specific validation
 * (schemas, descriptors) happens above the store; this only keeps the store's own indexes sound.
 */
import { invalid, type StraitError, type Violation } from '../errors/strait-error.js';
import type { ResourceInput, ResourceKey } from '../model/resource.js';
import type { ListQuery } from './store.js';

function keyViolations(key: ResourceKey, prefix: string): Violation[] {
  const out: Violation[] = [];
  const text = (field: string, value: unknown, optional: boolean): void => {
    if (optional && value === undefined) return;
    if (typeof value !== 'string' || value === '')
      out.push({ field: `${prefix}${field}`, reason: 'must be a non-empty string' });
  };
  text('type', key.type, false);
  text('mesh', key.mesh, true);
  text('name', key.name, false);
  return out;
}

/** Throws `Invalid` unless `key` is a well-formed resource key. */
export function checkKey(key: ResourceKey): void {
  const violations = keyViolations(key, '');
  if (violations.length > 0) throw invalid(violations, 'resource key');
}

/** Throws `Invalid` unless `input` has a well-formed key, labels, owner and a spec. */
export function checkInput(input: ResourceInput): void {
  const violations = keyViolations(input, '');
  if (input.labels !== undefined) {
    if (typeof input.labels !== 'object' || input.labels === null || Array.isArray(input.labels)) {
      violations.push({ field: 'labels', reason: 'must be an object of strings' });
    } else {
      for (const [k, v] of Object.entries(input.labels)) {
        if (k === '') violations.push({ field: 'labels', reason: 'label keys must be non-empty' });
        if (typeof v !== 'string') violations.push({ field: `labels.${k}`, reason: 'must be a string' });
      }
    }
  }
  if (input.owner !== undefined) violations.push(...keyViolations(input.owner, 'owner.'));
  if (input.spec === undefined) violations.push({ field: 'spec', reason: 'is required' });
  if (violations.length > 0) throw invalid(violations);
}

/** Throws `Invalid` unless `offset` and `size` (when given) make a valid page. */
export function checkListQuery(query: ListQuery): void {
  const violations: Violation[] = [];
  if (typeof query.type !== 'string' || query.type === '')
    violations.push({ field: 'type', reason: 'must be a non-empty string' });
  if (query.offset !== undefined && !(Number.isSafeInteger(query.offset) && query.offset >= 0)) {
    violations.push({ field: 'offset', reason: 'must be a non-negative integer' });
  }
  if (query.size !== undefined && !(Number.isSafeInteger(query.size) && query.size >= 1)) {
    violations.push({ field: 'size', reason: 'must be a positive integer' });
  }
  if (violations.length > 0) throw invalid(violations, 'list query');
}

/** The `Invalid` error of a batch op whose kind is none of create, update, delete. */
export function invalidBatchOp(op: unknown): StraitError {
  const kind = typeof op === 'object' && op !== null && 'op' in op ? String(op.op) : typeof op;
  return invalid([{ field: 'op', reason: `must be create, update or delete, got ${kind}` }], 'batch op');
}
