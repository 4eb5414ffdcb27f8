import { StraitError } from '@strait/shared';

/** Network error codes that mean a certificate problem the user fixes with a flag. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Explains a failed exchange with the control plane as an `Unavailable` error whose message
 * says where the CLI tried to go and what to check next.
 */
export function unreachableError(baseUrl: string, err: unknown, timeoutMs: number): StraitError {
  const reason = describeNetworkError(err, timeoutMs);
  const hint = TLS_CODES.has(reason)
    ? 'pass --ca-cert-file (or --skip-verify) to `strait config control-planes add`'
    : 'is it running? check `strait config control-planes list`';
  return new StraitError('Unavailable', `cannot reach control plane at ${baseUrl}: ${reason} — ${hint}`, {
    cause: err,
  });
}

/**
 * The most specific reason in a fetch/node error chain: a `code` like ECONNREFUSED, else the
 * innermost message (fetch wraps everything in "fetch failed").
 */
function describeNetworkError(err: unknown, timeoutMs: number): string {
  let message = err instanceof Error ? err.message : String(err);
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const { name, code, errors, cause } = e as { name?: unknown; code?: unknown; errors?: unknown; cause?: unknown };
    if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs}ms`;
    if (typeof code === 'string') return code;
    if (e instanceof Error && e.message !== '') message = e.message;
    e = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  return message;
}
