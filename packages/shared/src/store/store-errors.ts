/**
 * The errors a store raises, built in one place so both stores word them alike.
 * Callers and tests rely on `code` (and the key fields), never on the message text.
 */
import { isStraitError, StraitError } from '../errors/strait-error.js';
import { formatKey, type ResourceKey } from '../model/resource.js';

/** `NotFound`: the resource itself is absent. */
export function resourceNotFound(key: ResourceKey): StraitError {
  return new StraitError('NotFound', `${formatKey(key)} not found`);
}

/** `NotFound`: a mesh-scoped resource names a mesh that does not exist. */
export function meshNotFound(key: ResourceKey, mesh: string): StraitError {
  return new StraitError('NotFound', `mesh "${mesh}" not found (needed by ${formatKey(key)})`);
}

/** `NotFound`: the explicit owner of a resource does not exist. */
export function ownerNotFound(key: ResourceKey, owner: ResourceKey): StraitError {
  return new StraitError('NotFound', `owner ${formatKey(owner)} of ${formatKey(key)} not found`);
}

/** `AlreadyExists`: create on a taken key. */
export function alreadyExists(key: ResourceKey): StraitError {
  return new StraitError('AlreadyExists', `${formatKey(key)} already exists`);
}

/** `Conflict`: the stored version is not the one the caller read. */
export function versionConflict(key: ResourceKey, expected: number, actual: number): StraitError {
  return new StraitError(
    'Conflict',
    `${formatKey(key)} was modified concurrently: expected version ${expected}, stored version is ${actual}`,
  );
}

/** `Invalid`: the new owner would (transitively) be owned by the resource itself. */
export function ownerCycle(key: ResourceKey, owner: ResourceKey): StraitError {
  return new StraitError('Invalid', `owner ${formatKey(owner)} of ${formatKey(key)} would create an ownership cycle`, {
    violations: [{ field: 'owner', reason: 'ownership cycle' }],
  });
}

/**
 * The error of a batch whose op `index` (`what`: its kind and key, e.g. `create Mesh default`)
 * failed with `cause`: the same code (`Internal` for anything but a StraitError), a message
 * that names the op, and the op's violations with their fields prefixed by `ops[index].`.
 */
export function batchOpFailed(index: number, what: string, cause: unknown): StraitError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = isStraitError(cause) ? cause.code : 'Internal';
  const violations = isStraitError(cause)
    ? cause.violations.map((v) => ({ field: `ops[${index}].${v.field}`, reason: v.reason }))
    : [];
  return new StraitError(code, `batch op ${index} (${what}) failed, nothing was written: ${message}`, {
    cause,
    violations,
  });
}

/** `Unavailable`: the store was closed. */
export function storeClosed(): StraitError {
  return new StraitError('Unavailable', 'the store is closed');
}
