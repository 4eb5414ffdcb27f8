/**
 * Kuma/Go duration strings (`5s`, `1m30s`, `100ms`, `1.5h`, `-2s`), as Go's `time.ParseDuration`
 * reads them: an optional sign, then one or more number+unit pairs; a bare `0` is also valid.
 * The Mesh CA settings additionally accept days (`1d`) and years (`10y`), as Kuma does there.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const EXTENDED_UNIT_MS: Readonly<Record<string, number>> = {
  ...UNIT_MS,
  d: 86_400_000,
  y: 365 * 86_400_000,
};

const PAIR = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|y)/y;

/** Options of {@link parseDuration}. */
export interface ParseDurationOptions {
  /** Also accept `d` (24h) and `y` (365d) units. Default false. */
  readonly allowDaysAndYears?: boolean;
}

/** Parses a duration string into milliseconds; `undefined` when it is not a valid duration. */
export function parseDuration(text: string, options: ParseDurationOptions = {}): number | undefined {
  const units = options.allowDaysAndYears === true ? EXTENDED_UNIT_MS : UNIT_MS;
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  PAIR.lastIndex = 0;
  while (PAIR.lastIndex < s.length) {
    const start = PAIR.lastIndex;
    const m = PAIR.exec(s);
    if (m === null || m.index !== start) return undefined;
    const [, num, unit] = m;
    const factor = unit === undefined ? undefined : units[unit];
    if (num === undefined || factor === undefined) return undefined;
    total += Number(num) * factor;
  }
  return sign * total;
}

/** True when `text` is a valid Go duration (without day/year units). */
export function isDuration(text: string): boolean {
  return parseDuration(text) !== undefined;
}
