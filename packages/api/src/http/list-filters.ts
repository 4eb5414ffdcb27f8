import type { Violation } from '@strait/shared';
import { invalidInput } from '../errors/http-errors.js';
import { lastValue, type QueryValues } from './query-values.js';

/** Label and name filters of a list request. */
export interface ListFilters {
  /** Every label must be present with this value (filters are ANDed). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Only names containing this substring (Kuma's `name` parameter). */
  readonly nameContains?: string;
}

/**
 * `filter[labels.KEY]=VALUE` is Kuma's implemented form; `filter[label.KEY]=VALUE` is the
 * form its OpenAPI example shows, so both are accepted. Kuma answers 400 for other filters.
 */
const LABEL_FILTER = /^filter\[labels?\.(.+)\]$/;

/** Reads the filters of a list request; 400 naming the parameter for unsupported filters. */
export function parseListFilters(query: QueryValues): ListFilters {
  const labels: Record<string, string> = {};
  const violations: Violation[] = [];
  for (const [param, value] of Object.entries(query)) {
    if (!param.startsWith('filter[')) continue;
    const key = LABEL_FILTER.exec(param)?.[1];
    if (key === undefined || key.includes(']')) {
      violations.push({ field: param, reason: 'filters are only supported on labels: filter[labels.KEY]=VALUE' });
      continue;
    }
    labels[key] = lastValue(value) ?? '';
  }
  if (violations.length > 0) throw invalidInput('query', violations);
  const name = lastValue(query.name);
  const out: { labels?: Record<string, string>; nameContains?: string } = {};
  if (Object.keys(labels).length > 0) out.labels = labels;
  if (name !== undefined && name !== '') out.nameContains = name;
  return out;
}
