/**
 * Listing over an in-memory array kept sorted by (mesh, name): the memory store's `list`,
 * and the ordering both stores share. Strings compare by Unicode code point, which is the
 * byte order of their UTF-8 form, so the memory store orders exactly like SQLite's BINARY
 * collation.
 */
import type { Resource } from '../model/resource.js';
import type { ListPage, ListQuery } from './store.js';

/** Maps a UTF-16 code unit so that unit order equals code point order (surrogates sort last). */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Compares two strings by code point (= UTF-8 byte order); negative, zero or positive. */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Orders resources by mesh (global-scoped ones first, as the empty mesh), then name. */
export function compareByMeshName(a: Resource, mesh: string | undefined, name: string): number {
  return compareText(a.meta.mesh ?? '', mesh ?? '') || compareText(a.meta.name, name);
}

/** The first index in `items` (0..length) at which the monotone `isAfter` becomes true. */
export function firstIndexWhere<T>(items: readonly T[], isAfter: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid] as T;
    if (isAfter(item)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Where the resource (mesh, name) is, or would be inserted, in a (mesh, name)-sorted array. */
export function searchSorted(
  items: readonly Resource[],
  mesh: string | undefined,
  name: string,
): { readonly index: number; readonly found: boolean } {
  const index = firstIndexWhere(items, (r) => compareByMeshName(r, mesh, name) >= 0);
  const at = items[index];
  return { index, found: at !== undefined && compareByMeshName(at, mesh, name) === 0 };
}

/** Builds a page: `nextOffset` only when matching items remain after this one. */
export function makePage(items: readonly Resource[], total: number, offset: number): ListPage {
  const end = offset + items.length;
  return end < total && items.length > 0 ? { items, total, nextOffset: end } : { items, total };
}

/**
 * Runs `query` (its `type` is assumed already selected) over `sorted`, an array ordered by
 * (mesh, name). A mesh filter narrows by binary search; the rest is one pass over the range.
 */
export function queryList(sorted: readonly Resource[], query: ListQuery): ListPage {
  let lo = 0;
  let hi = sorted.length;
  const mesh = query.mesh;
  if (mesh !== undefined) {
    lo = firstIndexWhere(sorted, (r) => compareText(r.meta.mesh ?? '', mesh) >= 0);
    hi = firstIndexWhere(sorted, (r) => compareText(r.meta.mesh ?? '', mesh) > 0);
  }
  const labels = query.labels === undefined ? [] : Object.entries(query.labels);
  const needle = query.nameContains;
  const offset = query.offset ?? 0;
  const end = query.size === undefined ? Number.POSITIVE_INFINITY : offset + query.size;
  const items: Resource[] = [];
  let total = 0;
  for (let i = lo; i < hi; i++) {
    const r = sorted[i] as Resource;
    if (needle !== undefined && !r.meta.name.includes(needle)) continue;
    if (!labels.every(([k, v]) => Object.hasOwn(r.meta.labels, k) && r.meta.labels[k] === v)) continue;
    if (total >= offset && total < end) items.push(r);
    total++;
  }
  return makePage(items, total, offset);
}
