import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../logging/logger.js';

/** Issues a signed token for the given claims (see `createTokenIssuer`). */
export type IssueToken = (claims: Record<string, unknown>, options: { validForMs: number }) => Promise<string>;

/** Ten years: the admin token is a credential the operator rotates by hand. */
const ADMIN_TOKEN_VALID_FOR_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * Writes an admin user token to `<dataDir>/admin-token` (mode 0600) on first start so the
 * operator can use the API from elsewhere than localhost. Leaves an existing file alone.
 */
export async function ensureAdminTokenFile(dataDir: string, issue: IssueToken, logger: Logger): Promise<string> {
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return file;
  const token = await issue({ name: 'admin', groups: ['mesh-system:admin'] }, { validForMs: ADMIN_TOKEN_VALID_FOR_MS });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  logger.info({ file }, 'wrote admin token');
  return file;
}
