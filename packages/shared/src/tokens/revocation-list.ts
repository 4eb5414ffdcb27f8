/** Name of the GlobalSecret listing the revoked token ids of a token kind. */
export function revocationsName(kind: string): string {
  return `${kind}-token-revocations`;
}

/**
 * Decodes the base64 `data` of a revocations GlobalSecret. Strait writes one id per line;
 * Kuma documents a comma-separated list, so both separators are accepted.
 */
export function decodeRevocations(data: unknown): Set<string> {
  if (typeof data !== 'string') return new Set();
  const text = Buffer.from(data, 'base64').toString('utf8');
  return new Set(
    text
      .split(/[\n,]/)
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  );
}

/** Encodes revoked ids as base64 of a newline-separated list. */
export function encodeRevocations(ids: Iterable<string>): string {
  return Buffer.from([...ids].join('\n'), 'utf8').toString('base64');
}
