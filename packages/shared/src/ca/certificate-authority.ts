/**
 * Certificate authorities: creating a self-signed root, and loading a CA (made here, by a
 * global CP, by Kuma, or by the user) into a handle that issues certificates quickly.
 */
import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { invalid, type Violation } from '../errors/strait-error.js';
import {
  Extensions,
  encodeCertificate,
  encodeName,
  KeyUsage,
  keyIdentifier,
  randomSerialNumber,
  wholeSeconds,
} from './certificate-encoder.js';
import { parseCertificatePem } from './certificate-info.js';
import {
  type CertificateSigner,
  certificateSigner,
  type GeneratedKeyPair,
  generateKeyPair,
  type KeyAlgorithm,
  parsePrivateKeyPem,
} from './key-pair.js';
import { toPem } from './pem.js';

/** How far back certificates are dated, so that peers whose clocks run behind accept them. */
export const CLOCK_SKEW_ALLOWANCE_MS = 60_000;

/** A CA certificate and its private key, both PEM. The key is secret: never log it. */
export interface CaMaterial {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Options of {@link createRootCa}. */
export interface CreateRootCaOptions {
  /** Subject CN, e.g. the mesh name. */
  readonly commonName: string;
  /** Lifetime from `now` (Kuma's builtin CA default is 10 years). */
  readonly validForMs: number;
  /** Default: the current time. */
  readonly now?: Date;
  /** Default `ecdsa-p256`. */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** Adds the URI SAN `spiffe://<trustDomain>` as Kuma does on a mesh CA (the mesh name). */
  readonly trustDomain?: string;
  /**
   * Certify this existing private key (PEM) instead of generating one; `keyAlgorithm` is then
   * ignored. Lets a stored CA key whose certificate was never written get one.
   */
  readonly keyPem?: string;
}

/**
 * Creates a self-signed root CA: basicConstraints cA (critical), keyUsage keyCertSign and
 * cRLSign (critical), a subjectKeyIdentifier, a random serial, subject `O=Strait, CN=<commonName>`.
 */
export async function createRootCa(options: CreateRootCaOptions): Promise<CaMaterial> {
  const violations = [
    ...checkLifetime(options.validForMs),
    ...(options.commonName.length === 0 ? [{ field: 'commonName', reason: 'must not be empty' }] : []),
  ];
  if (violations.length > 0) throw invalid(violations, 'CA options');
  const nowMs = (options.now ?? new Date()).getTime();
  const key =
    options.keyPem === undefined
      ? await generateKeyPair(options.keyAlgorithm ?? 'ecdsa-p256')
      : existingKey(options.keyPem);
  const name = encodeName({ organization: 'Strait', commonName: options.commonName });
  const keyId = keyIdentifier(key.spki);
  const der = encodeCertificate(
    {
      serialNumber: randomSerialNumber(),
      issuer: name,
      subject: name,
      notBefore: wholeSeconds(nowMs - CLOCK_SKEW_ALLOWANCE_MS),
      notAfter: wholeSeconds(nowMs + options.validForMs),
      spki: key.spki,
      extensions: [
        Extensions.basicConstraints(true),
        Extensions.keyUsage([KeyUsage.keyCertSign, KeyUsage.cRLSign]),
        Extensions.subjectKeyIdentifier(keyId),
        ...(options.trustDomain === undefined
          ? []
          : [Extensions.subjectAltName({ uris: [`spiffe://${options.trustDomain}`] }, false)]),
      ],
    },
    certificateSigner(key.privateKey),
  );
  return { certPem: toPem('CERTIFICATE', der), keyPem: key.keyPem };
}

function existingKey(keyPem: string): GeneratedKeyPair {
  try {
    const privateKey = parsePrivateKeyPem(keyPem);
    certificateSigner(privateKey); // rejects unsupported key types up front
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    return { privateKey, keyPem, spki };
  } catch (err) {
    throw invalid([{ field: 'keyPem', reason: `unusable CA key: ${(err as Error).message}` }], 'CA options');
  }
}

/**
 * A loaded CA, ready to issue. The private key lives only inside the module (imported once,
 * never re-parsed per certificate, never reachable from the handle, so it cannot be logged).
 */
export interface CaHandle {
  /** The CA certificate (PEM, possibly followed by its own chain): what peers are given to trust. */
  readonly certPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber: string;
}

/** What issuing needs and callers must not see. */
export interface CaInternals {
  readonly signer: CertificateSigner;
  /** DER subject of the CA, copied into each certificate's issuer. */
  readonly subject: Buffer;
  /** Key id for authorityKeyIdentifier: the CA's own subjectKeyIdentifier when it has one. */
  readonly keyId: Buffer;
}

const internals = new WeakMap<CaHandle, CaInternals>();

/**
 * Loads a CA. `Invalid` (fields `certPem`, `keyPem`) when the certificate is unparsable or not
 * a CA, the key is unparsable or of an unsupported type, or the key does not match the certificate.
 * Expiry is not checked here: issuing from an expired CA fails instead.
 */
export async function loadCa(material: CaMaterial): Promise<CaHandle> {
  const parsed = parseCertificatePem(material.certPem);
  if (!parsed.isCa) throw invalid([{ field: 'certPem', reason: 'not a CA certificate (basicConstraints cA)' }], 'CA');
  let key: KeyObject;
  try {
    key = parsePrivateKeyPem(material.keyPem);
  } catch {
    throw invalid([{ field: 'keyPem', reason: 'not a PEM private key' }], 'CA');
  }
  let matches: boolean;
  try {
    matches = new X509Certificate(material.certPem).checkPrivateKey(key);
  } catch (err) {
    throw invalid([{ field: 'certPem', reason: `rejected by OpenSSL: ${(err as Error).message}` }], 'CA');
  }
  if (!matches) throw invalid([{ field: 'keyPem', reason: 'does not match the CA certificate' }], 'CA');
  let signer: CertificateSigner;
  try {
    signer = certificateSigner(key);
  } catch (err) {
    throw invalid([{ field: 'keyPem', reason: (err as Error).message }], 'CA');
  }
  const handle: CaHandle = Object.freeze({
    certPem: material.certPem.endsWith('\n') ? material.certPem : `${material.certPem}\n`,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    serialNumber: parsed.serialNumber,
  });
  internals.set(handle, { signer, subject: parsed.subject, keyId: parsed.subjectKeyId ?? keyIdentifier(parsed.spki) });
  return handle;
}

/** The signing state of a handle made by {@link loadCa}; throws for anything else. */
export function caInternals(ca: CaHandle): CaInternals {
  const found = internals.get(ca);
  if (found === undefined) throw new TypeError('not a CA handle from loadCa()');
  return found;
}

/** Violations of a certificate lifetime option. */
export function checkLifetime(validForMs: number, field = 'validForMs'): Violation[] {
  return Number.isFinite(validForMs) && validForMs > 0 ? [] : [{ field, reason: 'must be a positive number of ms' }];
}
