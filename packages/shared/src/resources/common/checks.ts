/**
 * Value checks the schema language cannot say, attached to schemas with the
 * `x-strait-check` keyword (see `schema.ts`), and the walker that applies them to a
 * value that already passed the schema. Each violation names the field as written.
 */
import type { TSchema } from '@sinclair/typebox';
import type { Violation } from '../../errors/strait-error.js';
import { isAddress, isHostPort, isIpAddress } from './address.js';
import { parseDuration } from './duration.js';
import { field, key } from './field.js';
import { type CheckName, checkOf } from './schema.js';

/** A check returns why the value is wrong, or `undefined` when it is fine. */
type Check = (value: unknown) => string | undefined;

const DURATION_HINT = 'must be a duration such as 5s, 1m30s or 100ms';
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const BANDWIDTH = /^\d+(?:kbps|Mbps|Gbps)$/;

/** Reads an int-or-string number; `undefined` when the string is not a decimal number. */
export function decimalOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  return undefined;
}

function durationCheck(test: (ms: number) => string | undefined, days = false): Check {
  return (value) => {
    if (typeof value !== 'string') return undefined;
    const ms = parseDuration(value, { allowDaysAndYears: days });
    return ms === undefined ? (days ? 'must be a duration such as 1d, 10y or 720h' : DURATION_HINT) : test(ms);
  };
}

function decimalCheck(test: (n: number) => string | undefined): Check {
  return (value) => {
    const n = decimalOf(value);
    return n === undefined ? 'must be a number (an integer or a decimal string)' : test(n);
  };
}

function isBase64(text: string): boolean {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return false;
  const body = text.replace(/=+$/, '');
  if (body.length % 4 === 1) return false;
  return text.length === body.length || text.length % 4 === 0;
}

function isUrlOrHostPort(text: string): boolean {
  if (isHostPort(text)) return true;
  try {
    const u = new URL(text);
    return u.host !== '';
  } catch {
    return false;
  }
}

const CHECKS: Readonly<Record<CheckName, Check>> = {
  duration: durationCheck(() => undefined),
  'duration-positive': durationCheck((ms) => (ms > 0 ? undefined : 'must be greater than zero')),
  'duration-nonnegative': durationCheck((ms) => (ms >= 0 ? undefined : 'must not be negative')),
  'duration-days-positive': durationCheck((ms) => (ms > 0 ? undefined : 'must be greater than zero'), true),
  percent: decimalCheck((n) => (n >= 0 && n <= 100 ? undefined : 'must be between 0 and 100')),
  'decimal-positive': decimalCheck((n) => (n > 0 ? undefined : 'must be greater than zero')),
  'decimal-nonnegative': decimalCheck((n) => (n >= 0 ? undefined : 'must not be negative')),
  bandwidth: (v) =>
    typeof v === 'string' && BANDWIDTH.test(v) ? undefined : 'must be a bandwidth in kbps, Mbps or Gbps (e.g. 10Mbps)',
  rfc3339: (v) =>
    typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v))
      ? undefined
      : 'must be an RFC 3339 timestamp (e.g. 2024-05-01T12:00:00Z)',
  base64: (v) => (typeof v === 'string' && isBase64(v) ? undefined : 'must be base64-encoded'),
  ip: (v) => (typeof v === 'string' && isIpAddress(v) ? undefined : 'must be an IP address'),
  address: (v) => (typeof v === 'string' && isAddress(v) ? undefined : 'must be an IP address or a DNS name'),
  regex: (v) => {
    if (typeof v !== 'string') return undefined;
    try {
      new RegExp(v);
      return undefined;
    } catch {
      return 'must be a valid regular expression';
    }
  },
  'absolute-path': (v) => (typeof v === 'string' && v.startsWith('/') ? undefined : 'must be an absolute path'),
  url: (v) => (typeof v === 'string' && isUrlOrHostPort(v) ? undefined : 'must be a URL or host:port'),
  'host-port': (v) => (typeof v === 'string' && isHostPort(v) ? undefined : 'must be in the form host:port'),
};

/** Applies one named check to a value. */
export function applyCheck(check: CheckName, value: unknown): string | undefined {
  return CHECKS[check](value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(schema: TSchema, value: unknown, at: string, out: Violation[]): void {
  const check = checkOf(schema);
  if (check !== undefined) {
    const reason = CHECKS[check](value);
    if (reason !== undefined) out.push({ field: at, reason });
    return;
  }
  const s = schema as {
    properties?: Record<string, TSchema>;
    items?: TSchema;
    patternProperties?: Record<string, TSchema>;
  };
  if (s.properties !== undefined && isRecord(value)) {
    for (const [k, sub] of Object.entries(s.properties)) {
      if (value[k] !== undefined) walk(sub, value[k], field(at, k), out);
    }
  } else if (s.items !== undefined && Array.isArray(value)) {
    value.forEach((item, i) => {
      walk(s.items as TSchema, item, field(at, i), out);
    });
  } else if (s.patternProperties !== undefined && isRecord(value)) {
    const sub = Object.values(s.patternProperties)[0];
    if (sub !== undefined) for (const [k, v] of Object.entries(value)) walk(sub, v, field(at, key(k)), out);
  }
}

/**
 * Runs every `x-strait-check` in `schema` against `value` (which already passed the
 * schema) and names offending fields under `prefix` (`spec` for nested layouts).
 */
export function runChecks(schema: TSchema, value: unknown, prefix = ''): Violation[] {
  const out: Violation[] = [];
  walk(schema, value, prefix, out);
  return out;
}
