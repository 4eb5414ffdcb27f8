/** What `strait dp run` reads besides the Dataplane file: the token and the admin port flag. */
import { type Logger, readTokenFile, type UniversalObject } from '@strait/shared';

/** The dataplane token from its file (trimmed); empty without a file (the CP then answers 401). */
export async function readToken(path: string | undefined, logger: Logger): Promise<string> {
  if (path === undefined) {
    logger.warn('no dataplane token file given: registering without a token');
    return '';
  }
  return readTokenFile(path, 'dataplane token');
}

/** The Dataplane as sent: the admin port flag wins over the file. */
export function withAdminPort(object: UniversalObject, adminPort: number | undefined): UniversalObject {
  if (adminPort === undefined) return object;
  const networking = (object.networking ?? {}) as Record<string, unknown>;
  const admin = (networking.admin ?? {}) as Record<string, unknown>;
  return { ...object, networking: { ...networking, admin: { ...admin, port: adminPort } } };
}
