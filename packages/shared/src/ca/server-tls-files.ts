/**
 * The TLS files a control plane serves KDS, xDS and HTTPS with: the configured ones, checked
 * at start-up, or self-signed ones generated once under `<dataDir>/tls/` and reused.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { invalid, isStraitError } from '../errors/strait-error.js';
import type { Logger } from '../logging/logger.js';
import { type CertificateInfo, parseCertificatePem } from './certificate-info.js';
import { parsePrivateKeyPem } from './key-pair.js';
import { createSelfSignedServerCertificate, serverNames } from './server-cert.js';

/** Options of {@link ensureServerTlsFiles}. */
export interface EnsureServerTlsFilesOptions {
  /** Generated files go to `<dataDir>/tls/`. */
  readonly dataDir: string;
  /** Configured certificate (PEM, leaf first); set together with `keyFile`. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Names a generated certificate must cover (besides localhost and this host's name). */
  readonly hostnames: readonly string[];
  readonly ips?: readonly string[];
  /** Lifetime of generated material; default 10 years. */
  readonly validForMs?: number;
  readonly logger: Logger;
  /** Default: the current time. */
  readonly now?: Date;
}

/** PEM contents and paths of the server's TLS material. `keyPem` is secret. */
export interface ServerTlsFiles {
  readonly certPem: string;
  readonly keyPem: string;
  /** The generated CA that signed the certificate (absent for configured files). */
  readonly caPem?: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile?: string;
}

/**
 * Returns the server TLS material. Configured files must be readable, parsable, unexpired and
 * match each other, otherwise `Invalid` with field `tls.certFile` or `tls.keyFile` and the path
 * in the reason. Without configured files, reuses the generated set when it is intact,
 * unexpired and covers the requested names, and generates a new one otherwise.
 */
export async function ensureServerTlsFiles(options: EnsureServerTlsFilesOptions): Promise<ServerTlsFiles> {
  const now = options.now ?? new Date();
  const { certFile, keyFile } = options;
  if (certFile !== undefined || keyFile !== undefined) {
    if (certFile === undefined) throw invalid([{ field: 'tls.certFile', reason: 'required with tls.keyFile' }], 'TLS');
    if (keyFile === undefined) throw invalid([{ field: 'tls.keyFile', reason: 'required with tls.certFile' }], 'TLS');
    return loadConfigured(certFile, keyFile, now);
  }
  return ensureGenerated(options, now);
}

async function loadConfigured(certFile: string, keyFile: string, now: Date): Promise<ServerTlsFiles> {
  const certPem = await readOrInvalid(certFile, 'tls.certFile');
  const keyPem = await readOrInvalid(keyFile, 'tls.keyFile');
  const info = parseOrInvalid(certPem, certFile);
  if (info.notAfter <= now) {
    throw invalid([{ field: 'tls.certFile', reason: `${certFile}: expired at ${info.notAfter.toISOString()}` }], 'TLS');
  }
  if (!keyMatches(certPem, keyPem)) {
    throw invalid(
      [{ field: 'tls.keyFile', reason: `${keyFile}: not a PEM private key matching the certificate in ${certFile}` }],
      'TLS',
    );
  }
  return { certPem, keyPem, certFile, keyFile };
}

async function ensureGenerated(options: EnsureServerTlsFilesOptions, now: Date): Promise<ServerTlsFiles> {
  const dir = resolve(options.dataDir, 'tls');
  const paths = { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key'), caFile: join(dir, 'ca.crt') };
  const wanted = serverNames(options.hostnames, options.ips ?? []);
  const existing = await readGenerated(paths);
  const problem = existing === undefined ? 'missing' : staleReason(existing, wanted, now);
  if (existing !== undefined && problem === undefined) {
    options.logger.debug({ certFile: paths.certFile }, 'reusing generated TLS certificate');
    return { ...existing, ...paths };
  }
  const generated = await createSelfSignedServerCertificate({
    hostnames: options.hostnames,
    ips: options.ips ?? [],
    now,
    ...(options.validForMs === undefined ? {} : { validForMs: options.validForMs }),
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomically(paths.keyFile, generated.keyPem, 0o600);
  await writeAtomically(paths.certFile, generated.certPem, 0o644);
  await writeAtomically(paths.caFile, generated.caPem, 0o644);
  options.logger.info(
    { ...paths, notAfter: generated.notAfter.toISOString(), reason: problem },
    'generated self-signed TLS certificate',
  );
  return { certPem: generated.certPem, keyPem: generated.keyPem, caPem: generated.caPem, ...paths };
}

interface GeneratedPems {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
}

async function readGenerated(paths: { certFile: string; keyFile: string; caFile: string }) {
  try {
    const [certPem, keyPem, caPem] = await Promise.all([
      readFile(paths.certFile, 'utf8'),
      readFile(paths.keyFile, 'utf8'),
      readFile(paths.caFile, 'utf8'),
    ]);
    return { certPem, keyPem, caPem } satisfies GeneratedPems;
  } catch {
    return undefined;
  }
}

/** Why a generated set cannot be reused, or undefined when it can. */
function staleReason(
  pems: GeneratedPems,
  wanted: { dnsNames: readonly string[]; ipAddresses: readonly string[] },
  now: Date,
): string | undefined {
  let info: CertificateInfo;
  try {
    info = parseCertificatePem(pems.certPem);
  } catch {
    return 'unparsable';
  }
  if (info.notAfter <= now) return 'expired';
  if (!keyMatches(pems.certPem, pems.keyPem)) return 'key mismatch';
  if (!issuedBy(pems.certPem, pems.caPem)) return 'CA mismatch';
  const dns = new Set(info.dnsNames.map((n) => n.toLowerCase()));
  const ips = new Set(info.ipAddresses);
  const covered = wanted.dnsNames.every((n) => dns.has(n)) && wanted.ipAddresses.every((ip) => ips.has(ip));
  return covered ? undefined : 'names changed';
}

function keyMatches(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(parsePrivateKeyPem(keyPem));
  } catch {
    return false;
  }
}

function issuedBy(certPem: string, caPem: string): boolean {
  try {
    const ca = new X509Certificate(caPem);
    const cert = new X509Certificate(certPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

async function readOrInvalid(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw invalid([{ field, reason: `${path}: cannot read (${code})` }], 'TLS');
  }
}

function parseOrInvalid(certPem: string, certFile: string): CertificateInfo {
  try {
    const info = parseCertificatePem(certPem, 'tls.certFile');
    new X509Certificate(certPem); // OpenSSL must accept it too, since OpenSSL will serve it
    return info;
  } catch (err) {
    const reason = isStraitError(err) ? (err.violations[0]?.reason ?? err.message) : (err as Error).message;
    throw invalid([{ field: 'tls.certFile', reason: `${certFile}: ${reason}` }], 'TLS');
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a key behind. */
async function writeAtomically(path: string, contents: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await rm(temporary, { force: true }); // so that `mode` applies: it only does on creation
  await writeFile(temporary, contents, { mode });
  await rename(temporary, path);
}
