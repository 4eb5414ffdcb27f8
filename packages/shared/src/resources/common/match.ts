/**
 * `matches[]` of inbound `rules[]`: which callers a rule applies to, by SPIFFE ID or by SNI.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../../errors/strait-error.js';
import { field } from './field.js';
import { closed, enumOf } from './schema.js';

/** A SPIFFE ID matcher. */
export const SpiffeIdMatchSchema = closed(
  {
    type: enumOf(['Exact', 'Prefix'], 'How the value is compared.'),
    value: Type.String({ description: 'A SPIFFE ID, e.g. spiffe://default/backend.' }),
  },
  'Matches callers by SPIFFE ID.',
);

/** An SNI matcher. */
export const SniMatchSchema = closed(
  {
    type: enumOf(['Exact'], 'How the value is compared.'),
    value: Type.String({ description: 'The server name the caller requested.' }),
  },
  'Matches by TLS server name.',
);

/** One caller matcher: by SPIFFE ID, by SNI, or both. */
export const MatchSchema = closed(
  {
    spiffeID: Type.Optional(SpiffeIdMatchSchema),
    sni: Type.Optional(SniMatchSchema),
  },
  'Selects callers; at least one of spiffeID and sni.',
);
export type Match = Static<typeof MatchSchema>;

const SPIFFE_ID = /^spiffe:\/\/[a-z0-9._-]+(?:\/[^/]+)*\/?$/;

/** Checks one matcher at field `at`. */
export function validateMatch(match: Match, at: string): Violation[] {
  if (match.spiffeID === undefined && match.sni === undefined) {
    return [{ field: at, reason: 'must set at least one of spiffeID, sni' }];
  }
  const out: Violation[] = [];
  const id = match.spiffeID?.value;
  if (id !== undefined && !SPIFFE_ID.test(id) && !(match.spiffeID?.type === 'Prefix' && id === 'spiffe://')) {
    out.push({ field: field(at, 'spiffeID', 'value'), reason: 'must be a SPIFFE ID (spiffe://trust-domain/path)' });
  }
  if (match.sni !== undefined && match.sni.value === '') {
    out.push({ field: field(at, 'sni', 'value'), reason: 'must not be empty' });
  }
  return out;
}

/** Checks a list of matchers at field `at` (e.g. `spec.rules[0].matches`). */
export function validateMatches(matches: readonly Match[] | undefined, at: string): Violation[] {
  return (matches ?? []).flatMap((m, i) => validateMatch(m, field(at, i)));
}
