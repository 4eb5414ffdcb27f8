/**
 * The one place where Strait errors become HTTP responses. Bodies follow Kuma's error shape
 * (AIP-193 `Error` in Kuma's OpenAPI), served as `application/problem+json`.
 */
import { type ErrorCode, isStraitError, StraitError, type Violation } from '@strait/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import '../routes/route-config.js';

/** Where an offending input came from (`InvalidParameters.source` in Kuma's OpenAPI). */
export type InputSource = 'body' | 'query' | 'header' | 'path';

/** Kuma answers `/std-errors` as the `type` of every error. */
const ERROR_TYPE = '/std-errors';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface HttpMapping {
  readonly status: number;
  /** Title used when the route gives none (and always for the codes Kuma titles by code). */
  readonly title: string;
  /** Kuma titles these by the error (Access Denied, Conflict, …), not by the operation. */
  readonly fixedTitle: boolean;
}

/** StraitError code → HTTP status and title. */
const BY_CODE: Readonly<Record<ErrorCode, HttpMapping>> = {
  NotFound: { status: 404, title: 'Not Found', fixedTitle: false },
  AlreadyExists: { status: 409, title: 'Conflict', fixedTitle: true },
  Conflict: { status: 409, title: 'Conflict', fixedTitle: true },
  Invalid: { status: 400, title: 'Bad Request', fixedTitle: false },
  Unauthenticated: { status: 401, title: 'Invalid authentication data', fixedTitle: true },
  Forbidden: { status: 403, title: 'Access Denied', fixedTitle: true },
  MethodNotAllowed: { status: 405, title: 'Method not Allowed', fixedTitle: true },
  Unavailable: { status: 503, title: 'Service Unavailable', fixedTitle: false },
  Internal: { status: 500, title: 'Internal Server Error', fixedTitle: false },
};

/** Internal errors never leak their message; every other code's message is meant for users. */
const INTERNAL_DETAIL = 'Internal Server Error';

/** One `invalid_parameters` entry. */
export interface InvalidParameter {
  readonly field: string;
  readonly reason: string;
  readonly source: InputSource;
}

/** The error body. `details`/`causes` repeat `detail`/`invalid_parameters` for older Kuma clients. */
export interface ProblemBody {
  readonly type: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly instance: string;
  readonly invalid_parameters?: readonly InvalidParameter[];
  readonly details: string;
  readonly causes?: readonly { readonly field: string; readonly message: string }[];
}

const SOURCE = Symbol('strait.inputSource');

/** An `Invalid` error about request input other than the body (query, header, path). */
export function invalidInput(source: InputSource, violations: readonly Violation[], message?: string): StraitError {
  const err = new StraitError('Invalid', message ?? violations.map((v) => `${v.field}: ${v.reason}`).join('; '), {
    violations,
  });
  Object.defineProperty(err, SOURCE, { value: source });
  return err;
}

function sourceOf(err: StraitError): InputSource {
  return ((err as unknown as Record<symbol, InputSource | undefined>)[SOURCE] ?? 'body') as InputSource;
}

/** Builds the error body for a StraitError; `routeTitle` is the operation's title (Kuma style). */
export function problemFor(err: StraitError, instance: string, routeTitle?: string): ProblemBody {
  const mapping = BY_CODE[err.code];
  const title = mapping.fixedTitle || routeTitle === undefined ? mapping.title : routeTitle;
  const detail = err.code === 'Internal' ? INTERNAL_DETAIL : err.message;
  return problem(mapping.status, title, detail, instance, invalidParametersOf(err));
}

function invalidParametersOf(err: StraitError): InvalidParameter[] | undefined {
  if (err.code !== 'Invalid') return undefined;
  const source = sourceOf(err);
  const list = err.violations.map((v) => ({ field: v.field, reason: v.reason, source }));
  // Kuma's OpenAPI: every 400 carries invalid_parameters.
  return list.length > 0 ? list : [{ field: '(root)', reason: err.message, source }];
}

function problem(
  status: number,
  title: string,
  detail: string,
  instance: string,
  invalidParameters?: readonly InvalidParameter[],
): ProblemBody {
  const body: { -readonly [K in keyof ProblemBody]: ProblemBody[K] } = {
    type: ERROR_TYPE,
    status,
    title,
    detail,
    instance,
    details: detail,
  };
  if (invalidParameters !== undefined) {
    body.invalid_parameters = invalidParameters;
    body.causes = invalidParameters.map((p) => ({ field: p.field, message: p.reason }));
  }
  return body;
}

/** Errors fastify raises itself (body parsing, size limits, media types) carry a 4xx status. */
function frameworkProblem(err: FastifyError, instance: string): ProblemBody | undefined {
  const status = err.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  const title = status === 413 ? 'Payload Too Large' : status === 415 ? 'Unsupported Media Type' : 'Bad Request';
  const params: InvalidParameter[] | undefined =
    status === 400 ? [{ field: '(body)', reason: err.message, source: 'body' }] : undefined;
  return problem(status, title, err.message, instance, params);
}

/** The `instance` of an error: a correlation id, as Kuma's OpenAPI suggests. */
export function instanceOf(request: FastifyRequest): string {
  return `strait:trace:${request.id}`;
}

/** Sends `body` as the response. */
export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** fastify error handler: StraitErrors by code, framework 4xx as they are, everything else 500 (logged). */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const instance = instanceOf(request);
  const routeTitle = request.routeOptions.config.strait?.errorTitle;
  if (isStraitError(err)) {
    if (err.code === 'Internal' || err.code === 'Unavailable') {
      request.log.error({ err, url: request.url, method: request.method }, 'request failed');
    }
    return sendProblem(reply, problemFor(err, instance, routeTitle));
  }
  const framework = frameworkProblem(err as FastifyError, instance);
  if (framework !== undefined) return sendProblem(reply, framework);
  request.log.error({ err, url: request.url, method: request.method }, 'request failed');
  return sendProblem(reply, problemFor(new StraitError('Internal', 'internal error'), instance, routeTitle));
}

/** fastify not-found handler: unknown paths answer like a missing resource. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const err = new StraitError('NotFound', `no such path: ${request.method} ${request.url.split('?')[0] ?? ''}`);
  return sendProblem(reply, problemFor(err, instanceOf(request)));
}
