import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { UniversalObject } from '@strait/shared';
import { parseAllDocuments } from 'yaml';

/** Absolute path of a file or directory under `src/testdata`. */
export function testdataPath(relative: string): string {
  return fileURLToPath(new URL(`../testdata/${relative}`, import.meta.url));
}

/** The objects of a YAML fixture, one per document. */
export function readFixture(relative: string): UniversalObject[] {
  return parseAllDocuments(readFileSync(testdataPath(relative), 'utf8')).map((d) => d.toJS() as UniversalObject);
}

/**
 * A resource as the user wrote it, for comparing with what the API returns: store-maintained
 * fields (times, `kri`) dropped, labels the control plane adds (`kuma.io/…`) dropped unless
 * the manifest set them, and missing labels read as none.
 */
export function comparable(obj: UniversalObject, written?: UniversalObject): UniversalObject {
  const { creationTime: _c, modificationTime: _m, kri: _k, labels, ...rest } = obj;
  const own = (written?.labels ?? {}) as Record<string, string>;
  const kept = Object.entries((labels ?? {}) as Record<string, string>).filter(
    ([k]) => !k.startsWith('kuma.io/') || k in own,
  );
  return { ...rest, labels: Object.fromEntries(kept) };
}
