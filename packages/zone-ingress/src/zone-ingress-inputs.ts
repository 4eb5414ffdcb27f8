/** What `strait zone-ingress run` reads from files: the zone token and the CP's CA. */
import { readFile } from 'node:fs/promises';
import { StraitError } from '@strait/shared';

/** The zone token from its file (trimmed); a missing, unreadable or empty file is `Invalid`. */
export async function readZoneToken(path: string): Promise<string> {
  const token = (
    await readFile(path, 'utf8').catch((err: Error) => {
      throw new StraitError('Invalid', `cannot read the zone token file ${path}: ${err.message}`, { cause: err });
    })
  ).trim();
  if (token === '') throw new StraitError('Invalid', `the zone token file ${path} is empty`);
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
