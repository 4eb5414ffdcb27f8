/** Mapping the control plane's answers and network failures to `StraitError`s, in one place. */
import { type ErrorCode, StraitError, type Violation } from '../errors/strait-error.js';
import type { CpResponse } from './cp-request.js';

/** TLS verification failures: retrying cannot help, the trust configuration is wrong. */
const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The problem-details body (RFC 7807) the control plane answers errors with, as Kuma does. */
interface ProblemBody {
  readonly title?: unknown;
  readonly detail?: unknown;
  readonly invalid_parameters?: unknown;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'Unauthenticated';
  if (status === 403) return 'Forbidden';
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status >= 500) return 'Unavailable';
  return 'Invalid';
}

function violationsOf(params: unknown): Violation[] {
  if (!Array.isArray(params)) return [];
  return params.flatMap((p: unknown) => {
    if (typeof p !== 'object' || p === null) return [];
    const { field, reason } = p as { field?: unknown; reason?: unknown };
    return typeof field === 'string' ? [{ field, reason: typeof reason === 'string' ? reason : 'invalid' }] : [];
  });
}

function parseProblem(res: CpResponse): ProblemBody {
  try {
    const body: unknown = JSON.parse(res.body);
    return typeof body === 'object' && body !== null ? (body as ProblemBody) : {};
  } catch {
    return {};
  }
}

/**
 * The error for a non-2xx answer to `what` (e.g. "bootstrap"): 401 → Unauthenticated,
 * 403 → Forbidden, 400 → Invalid with the server's `invalid_parameters` as violations,
 * 5xx → Unavailable. The message carries the server's `detail`.
 */
export function errorFromResponse(what: string, res: CpResponse): StraitError {
  const problem = parseProblem(res);
  const detail =
    typeof problem.detail === 'string' && problem.detail !== ''
      ? problem.detail
      : typeof problem.title === 'string'
        ? problem.title
        : res.body.slice(0, 200);
  const violations = violationsOf(problem.invalid_parameters);
  const verb = res.status >= 500 ? 'failed to answer' : 'refused';
  return new StraitError(codeForStatus(res.status), `control plane ${verb} ${what} (HTTP ${res.status}): ${detail}`, {
    violations,
  });
}

/** True when the server's certificate did not verify. */
export function isTlsVerifyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TLS_VERIFY_CODES.has(code);
}

/** The error for a request that got no HTTP answer (network or TLS failure). */
export function errorFromNetwork(what: string, address: string, err: unknown): StraitError {
  const code = (err as { code?: unknown } | null)?.code;
  const reason = err instanceof Error ? err.message : String(err);
  if (isTlsVerifyError(err)) {
    return new StraitError(
      'Unavailable',
      `cannot verify the TLS certificate of the control plane at ${address} (${String(code)}: ${reason}); ` +
        'pass --ca-cert-file with the CA that signed it',
      { cause: err },
    );
  }
  return new StraitError('Unavailable', `${what}: control plane at ${address} unreachable: ${reason}`, { cause: err });
}
