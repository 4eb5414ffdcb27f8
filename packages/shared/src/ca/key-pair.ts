/**
 * Private keys of CAs and certificates: generation, PEM import, and the signature algorithm
 * a key signs certificates with.
 */
import { createPrivateKey, generateKeyPair as generateNodeKeyPair, type KeyObject, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { derNull, oid, sequence } from './der.js';

const generate = promisify(generateNodeKeyPair);

/**
 * Key type of a generated key. ECDSA P-256 is the default everywhere: generating and signing
 * take well under a millisecond, where an RSA-2048 key takes tens of milliseconds to generate.
 */
export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048';

/** A freshly generated key pair. */
export interface GeneratedKeyPair {
  readonly privateKey: KeyObject;
  /** The private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  readonly keyPem: string;
  /** The public key as DER SubjectPublicKeyInfo, ready to embed in a certificate. */
  readonly spki: Buffer;
}

/** Generates a key pair (off the event loop, in libuv's pool). */
export async function generateKeyPair(algorithm: KeyAlgorithm = 'ecdsa-p256'): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } =
    algorithm === 'rsa-2048'
      ? await generate('rsa', { modulusLength: 2048 })
      : await generate('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    spki: publicKey.export({ type: 'spki', format: 'der' }),
  };
}

/** Signs TBSCertificates with one private key, imported once. */
export interface CertificateSigner {
  /** DER AlgorithmIdentifier of the signatures this signer makes. */
  readonly algorithm: Buffer;
  /** DER signature over `tbs`. */
  sign(tbs: Buffer): Buffer;
}

/** Signature algorithms by key type (RFC 5758 for ECDSA, RFC 4055 for RSA). */
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const ECDSA_WITH_SHA384 = '1.2.840.10045.4.3.3';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/**
 * The signer for a private key: RSA keys sign with SHA-256, P-256 with SHA-256, P-384 with
 * SHA-384. Throws a plain Error for other key types; callers report it as `Invalid`.
 */
export function certificateSigner(key: KeyObject): CertificateSigner {
  if (key.asymmetricKeyType === 'rsa') {
    return { algorithm: sequence(oid(SHA256_WITH_RSA), derNull()), sign: (tbs) => sign('sha256', tbs, key) };
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1')) {
    const [algorithmOid, digest] =
      curve === 'prime256v1' ? [ECDSA_WITH_SHA256, 'sha256'] : [ECDSA_WITH_SHA384, 'sha384'];
    return { algorithm: sequence(oid(algorithmOid)), sign: (tbs) => sign(digest, tbs, { key, dsaEncoding: 'der' }) };
  }
  throw new Error(
    `unsupported CA key type ${key.asymmetricKeyType ?? 'unknown'}${curve === undefined ? '' : ` (${curve})`}`,
  );
}

/** Parses a PEM private key in any form OpenSSL reads (PKCS#8, PKCS#1 RSA as Kuma stores it, SEC1 EC). */
export function parsePrivateKeyPem(pem: string): KeyObject {
  return createPrivateKey({ key: pem, format: 'pem' });
}
