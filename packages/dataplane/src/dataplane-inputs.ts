/** What `strait dp run` reads besides the Dataplane file: the token, the CP's CA, the admin port flag. */
import { readFile } from 'node:fs/promises';
import { type Logger, StraitError, type UniversalObject } from '@strait/shared';

/** The dataplane token from its file (trimmed); empty without a file (the CP then answers 401). */
export async function readToken(path: string | undefined, logger: Logger): Promise<string> {
  if (path === undefined) {
    logger.warn('no dataplane token file given: registering without a token');
    return '';
  }
  const token = (
    await readFile(path, 'utf8').catch((err: Error) => {
      throw new StraitError('Invalid', `cannot read the dataplane token file ${path}: ${err.message}`, { cause: err });
    })
  ).trim();
  if (token === '') throw new StraitError('Invalid', `the dataplane token file ${path} is empty`);
  return token;
}

/** The PEM CA bundle the CP's certificate is verified against; `undefined` means the system trust store. */
export async function readCaCertificate(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  const pem = await readFile(path, 'utf8').catch((err: Error) => {
    throw new StraitError('Invalid', `cannot read the CA certificate file ${path}: ${err.message}`, { cause: err });
  });
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new StraitError('Invalid', `the CA certificate file ${path} holds no PEM certificate`);
  }
  return pem;
}

/** The Dataplane as sent: the admin port flag wins over the file. */
export function withAdminPort(object: UniversalObject, adminPort: number | undefined): UniversalObject {
  if (adminPort === undefined) return object;
  const networking = (object.networking ?? {}) as Record<string, unknown>;
  const admin = (networking.admin ?? {}) as Record<string, unknown>;
  return { ...object, networking: { ...networking, admin: { ...admin, port: adminPort } } };
}
