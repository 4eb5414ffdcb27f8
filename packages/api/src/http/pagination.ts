import type { FastifyRequest } from 'fastify';
import { invalidInput } from '../errors/http-errors.js';
import { lastValue, type QueryValues } from './query-values.js';

/** Items per page when `size` is absent (Kuma's default). */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest `size` accepted (Kuma's maximum). */
export const MAX_PAGE_SIZE = 1000;

/** One page of a list request. */
export interface PageRequest {
  readonly size: number;
  readonly offset: number;
}

const DIGITS = /^[0-9]{1,15}$/;

/** Reads `size` and `offset`; 400 naming the parameter when either is malformed or out of range. */
export function parsePageRequest(query: QueryValues): PageRequest {
  const rawSize = lastValue(query.size);
  const rawOffset = lastValue(query.offset);
  let size = DEFAULT_PAGE_SIZE;
  if (rawSize !== undefined && rawSize !== '') {
    if (!DIGITS.test(rawSize)) throw invalidInput('query', [{ field: 'size', reason: 'must be an integer' }]);
    size = Number(rawSize);
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw invalidInput('query', [
        { field: 'size', reason: `invalid page size of ${size}: must be between 1 and ${MAX_PAGE_SIZE}` },
      ]);
    }
  }
  let offset = 0;
  if (rawOffset !== undefined && rawOffset !== '') {
    if (!DIGITS.test(rawOffset)) {
      throw invalidInput('query', [{ field: 'offset', reason: 'must be a non-negative integer' }]);
    }
    offset = Number(rawOffset);
  }
  return { size, offset };
}

/**
 * The absolute URL of the next page: this request's URL with `offset` replaced, or null on
 * the last page (Kuma answers `"next": null` there).
 */
export function nextPageUrl(request: FastifyRequest, nextOffset: number | undefined): string | null {
  if (nextOffset === undefined) return null;
  const [path = '/', rawQuery = ''] = request.url.split('?', 2);
  const params = new URLSearchParams(rawQuery);
  params.set('offset', String(nextOffset));
  return `${request.protocol}://${request.host}${path}?${params.toString()}`;
}
