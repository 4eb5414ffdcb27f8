/** Spaces between two columns, as kumactl prints them. */
const COLUMN_GAP = '   ';

/**
 * Renders rows under upper-case headers with left-aligned columns padded to the widest cell.
 * The last column is not padded, so no line ends in spaces. Cells are single-line: line breaks
 * become spaces so one row stays one line.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const clean = (cell: string | undefined): string => (cell ?? '').replace(/\s*[\r\n]+\s*/g, ' ');
  const all = [headers.map(clean), ...rows.map((row) => headers.map((_, i) => clean(row[i])))];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const lines = all.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join(COLUMN_GAP)
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}
