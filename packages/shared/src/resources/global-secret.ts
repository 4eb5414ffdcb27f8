/**
 * GlobalSecret: a secret that belongs to no mesh. The control plane keeps token signing
 * keys and similar material in GlobalSecrets.
 */
import type { ResourceDescriptor } from '../model/descriptor.js';
import { SecretSpecSchema, validateSecret } from './common/secret-data.js';

/** The GlobalSecret resource type. */
export const globalSecretDescriptor: ResourceDescriptor<typeof SecretSpecSchema> = Object.freeze({
  name: 'GlobalSecret',
  plural: 'global-secrets',
  aliases: ['globalsecret', 'global-secret'],
  scope: 'global',
  kds: 'global-to-zone',
  isPolicy: false,
  specLayout: 'inline',
  specSchema: SecretSpecSchema,
  validate: validateSecret,
  readOnlyOnFederatedZone: true,
  systemOnly: false,
  description: 'A secret value outside any mesh, base64-encoded (token signing keys, …).',
});
