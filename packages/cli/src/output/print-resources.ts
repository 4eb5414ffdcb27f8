import type { ResourceDescriptor, UniversalObject } from '@strait/shared';
import { toJson, toYaml, toYamlStream } from './documents.js';
import type { OutputFormat } from './output-format.js';
import { columnsFor, rowsFor } from './resource-columns.js';
import { renderTable } from './table.js';

/**
 * Prints one resource exactly as the API returned it: a single YAML document (which
 * `strait apply -f` accepts unchanged), pretty JSON, or a one-row table.
 */
export function formatResource(d: ResourceDescriptor, obj: UniversalObject, format: OutputFormat, now: Date): string {
  if (format === 'yaml') return toYaml(obj);
  if (format === 'json') return toJson(obj);
  return formatResourceTable(d, [obj], now);
}

/**
 * Prints a list: a YAML stream of one document per resource (so the output re-applies as is),
 * Kuma's list shape `{items, total}` as JSON (which `apply` also reads), or a table.
 */
export function formatResourceList(
  d: ResourceDescriptor,
  objects: readonly UniversalObject[],
  format: OutputFormat,
  now: Date,
): string {
  if (format === 'yaml') return toYamlStream(objects);
  if (format === 'json') return toJson({ items: objects, total: objects.length });
  return formatResourceTable(d, objects, now);
}

function formatResourceTable(d: ResourceDescriptor, objects: readonly UniversalObject[], now: Date): string {
  const columns = columnsFor(d);
  return renderTable(
    columns.map((c) => c.header),
    rowsFor(d, columns, objects, now),
  );
}
