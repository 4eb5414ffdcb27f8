/** Parsed query string: repeated parameters arrive as arrays. */
export type QueryValues = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The value of a query parameter; the last one wins when repeated (as in Kuma). */
export function lastValue(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[value.length - 1];
}
