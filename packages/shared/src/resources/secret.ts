/**
 * Secret: a mesh-scoped secret value (e.g. a provided CA key). The control plane also keeps
 * its own generated material, such as a mesh's builtin CA, in Secrets.
 */
import type { ResourceDescriptor } from '../model/descriptor.js';
import { SecretSpecSchema, validateSecret } from './common/secret-data.js';

/** The Secret resource type. */
export const secretDescriptor: ResourceDescriptor<typeof SecretSpecSchema> = Object.freeze({
  name: 'Secret',
  plural: 'secrets',
  aliases: ['secret'],
  scope: 'mesh',
  kds: 'global-to-zone',
  isPolicy: false,
  specLayout: 'inline',
  specSchema: SecretSpecSchema,
  validate: validateSecret,
  readOnlyOnFederatedZone: true,
  systemOnly: false,
  description: 'A secret value of a mesh, base64-encoded (CA certificates and keys, tokens, …).',
});
