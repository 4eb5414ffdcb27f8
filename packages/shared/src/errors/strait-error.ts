/**
 * The one error type of Strait. Every failure that crosses a module boundary is a
 * `StraitError` with a code from a closed set; the REST API, KDS and the CLI map
 * codes to their own wire form in exactly one place each.
 */

/** The closed set of error codes. */
export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Unauthenticated'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'Unavailable'
  | 'Internal';

/** One offending field of an invalid input, named the way the user wrote it (`spec.from[0].targetRef.kind`). */
export interface Violation {
  readonly field: string;
  readonly reason: string;
}

/** Options of a {@link StraitError}. */
export interface StraitErrorOptions {
  /** For code `Invalid`: which fields are wrong and why. */
  readonly violations?: readonly Violation[];
  readonly cause?: unknown;
}

/** A failure with a stable code; tests assert `code` and `violations`, not message text. */
export class StraitError extends Error {
  readonly code: ErrorCode;
  readonly violations: readonly Violation[];

  constructor(code: ErrorCode, message: string, options: StraitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StraitError';
    this.code = code;
    this.violations = options.violations ?? [];
  }
}

/** True when `err` is a {@link StraitError}, optionally of the given code. */
export function isStraitError(err: unknown, code?: ErrorCode): err is StraitError {
  return err instanceof StraitError && (code === undefined || err.code === code);
}

/** Builds an `Invalid` error from violations, with a message that lists them. */
export function invalid(violations: readonly Violation[], what = 'resource'): StraitError {
  const list = violations.map((v) => `${v.field}: ${v.reason}`).join('; ');
  return new StraitError('Invalid', `invalid ${what}: ${list}`, { violations });
}
