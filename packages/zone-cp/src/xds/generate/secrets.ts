/**
 * SDS secrets: a proxy certificate with its key becomes a `tls_certificate`, a CA bundle a
 * `validation_context`. Private keys only ever travel inside these messages; never log them.
 */

import { create } from '@bufbuild/protobuf';
import { type Secret, SecretSchema } from '@strait/proto/envoy';
import type { ProxySecret } from './proxy-context.js';

function inline(pem: string) {
  return { specifier: { case: 'inlineString' as const, value: pem } };
}

/** One Secret; `undefined` when it has neither a certificate with its key nor a CA (not issued yet). */
export function generateSecret(secret: ProxySecret): Secret | undefined {
  if (secret.certPem !== undefined && secret.keyPem !== undefined) {
    return create(SecretSchema, {
      name: secret.name,
      type: {
        case: 'tlsCertificate',
        value: { certificateChain: inline(secret.certPem), privateKey: inline(secret.keyPem) },
      },
    });
  }
  if (secret.caPem !== undefined) {
    return create(SecretSchema, {
      name: secret.name,
      type: { case: 'validationContext', value: { trustedCa: inline(secret.caPem) } },
    });
  }
  return undefined;
}

/**
 * The proxy's secrets, sorted by name. Secrets without material are left out: Envoy keeps
 * waiting for them (the listeners and clusters that need them stay warming) instead of
 * rejecting an empty one. `make` generates one secret (a caller may reuse earlier ones).
 */
export function generateSecrets(
  secrets: readonly ProxySecret[],
  make: (secret: ProxySecret) => Secret | undefined = generateSecret,
): Secret[] {
  return [...secrets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).flatMap((s) => make(s) ?? []);
}
