/** The zone control plane's bootstrap address (`--cp-address`). */
import { invalid } from '../errors/strait-error.js';

/** Port of the zone CP's bootstrap/xDS server when the address names none. */
export const DEFAULT_CP_BOOTSTRAP_PORT = 5678;

/**
 * Parses `https://host[:port]` (port 5678 when omitted). Anything else is `Invalid` on field
 * `cpAddress`: the bootstrap carries the proxy's token, so plain HTTP is refused.
 */
export function parseCpAddress(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalid([{ field: 'cpAddress', reason: `"${address}" is not a URL (expected https://host:5678)` }], 'option');
  }
  if (url.protocol !== 'https:') {
    throw invalid([{ field: 'cpAddress', reason: `must use https://, not ${url.protocol}//` }], 'option');
  }
  if (url.pathname !== '/' || url.search !== '' || url.username !== '') {
    throw invalid(
      [{ field: 'cpAddress', reason: 'must be https://host[:port] with no path, query or credentials' }],
      'option',
    );
  }
  if (url.port === '') url.port = String(DEFAULT_CP_BOOTSTRAP_PORT);
  return url;
}
