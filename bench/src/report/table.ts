/** A table of results: a header row and rows of cells, every cell already formatted. */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function escapeCell(cell: string): string {
  return cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * Renders a GitHub-flavoured Markdown table, padded so that it also reads well in a terminal.
 * Rows shorter than the header are padded with empty cells.
 */
export function renderTable(table: Table): string {
  const width = table.columns.length;
  const cells = [table.columns, ...table.rows].map((row) =>
    Array.from({ length: width }, (_, i) => escapeCell(row[i] ?? '')),
  );
  const widths = Array.from({ length: width }, (_, i) => Math.max(3, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 3)).join(' | ')} |`;
  const [header = [], ...body] = cells;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** `1234.5` → `1,235`; `42` → `42`; `12.34` → `12.3`; `0.1234` → `0.12`. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Milliseconds as `850 ms` or `12.3 s`. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '—';
  return ms < 1_000 ? `${formatNumber(ms)} ms` : `${formatNumber(ms / 1_000)} s`;
}
