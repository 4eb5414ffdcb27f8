import { type ErrorCode, StraitError, type Violation } from '@strait/shared';

/** The error body of Kuma's API (AIP-193), as far as the CLI reads it. */
interface ErrorBody {
  readonly title?: unknown;
  readonly detail?: unknown;
  readonly invalid_parameters?: unknown;
}

/** HTTP status → error code; anything else maps by class (4xx Invalid, 5xx Internal). */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'Invalid',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  422: 'Invalid',
  503: 'Unavailable',
};

/**
 * Turns a non-2xx API response into a {@link StraitError}: the code from the status, the
 * message from `detail` (or `title`), and one violation per `invalid_parameters` entry.
 */
export function errorFromResponse(status: number, bodyText: string, what: string): StraitError {
  const body = parseErrorBody(bodyText);
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'Internal' : 'Invalid');
  const violations = readViolations(body.invalid_parameters);
  const detail = typeof body.detail === 'string' && body.detail !== '' ? body.detail : undefined;
  const title = typeof body.title === 'string' && body.title !== '' ? body.title : undefined;
  const summary = detail ?? title ?? (bodyText.trim().slice(0, 200) || `HTTP ${status}`);
  return new StraitError(code, `${what}: ${summary} (HTTP ${status})`, { violations });
}

function parseErrorBody(text: string): ErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ErrorBody) : {};
  } catch {
    return {};
  }
}

function readViolations(raw: unknown): Violation[] {
  if (!Array.isArray(raw)) return [];
  const out: Violation[] = [];
  for (const p of raw as unknown[]) {
    if (typeof p !== 'object' || p === null) continue;
    const { field, reason } = p as { field?: unknown; reason?: unknown };
    out.push({
      field: typeof field === 'string' ? field : '(unknown)',
      reason: typeof reason === 'string' ? reason : '',
    });
  }
  return out;
}
