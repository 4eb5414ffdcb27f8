import type { CliIo } from '../../cli-io.js';
import { toJson, toYamlStream } from '../../output/documents.js';
import type { OutputFormat } from '../../output/output-format.js';
import { renderTable } from '../../output/table.js';

/** One column of an inspect table, computed from an overview item (`DataplaneOverview`, `ZoneOverview`, …). */
export interface OverviewColumn {
  readonly header: string;
  readonly cell: (item: unknown, now: Date) => string;
}

/** Prints overview items as a table, a YAML stream or `{items, total}` JSON. */
export function printOverviews(
  io: CliIo,
  format: OutputFormat,
  columns: readonly OverviewColumn[],
  items: readonly unknown[],
): void {
  io.out(formatOverviews(format, columns, items, io.now()));
}

function formatOverviews(
  format: OutputFormat,
  columns: readonly OverviewColumn[],
  items: readonly unknown[],
  now: Date,
): string {
  if (format === 'yaml') return toYamlStream(items);
  if (format === 'json') return toJson({ items, total: items.length });
  return renderTable(
    columns.map((c) => c.header),
    items.map((item) => columns.map((c) => c.cell(item, now))),
  );
}
