import { createPrivateKey, createPublicKey, generateKeyPair as generateNodeKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { type CryptoKey, importPKCS8, importSPKI } from 'jose';

/** Every token kind's signing keys: `<kind>-token-signing-key-<serial>`. */
const SIGNING_KEY_NAME = /^([a-z][a-z0-9-]{0,62})-token-signing-key-([1-9][0-9]{0,8})$/;

const generateRsaKeyPair = promisify(generateNodeKeyPair);

/** RSA modulus of new signing keys (Kuma uses 2048-bit RS256 keys too). */
const RSA_MODULUS_BITS = 2048;

/** A key that verifies tokens: the public half of a signing key, imported once. */
export interface VerificationKey {
  /** The number after `-signing-key-` in the GlobalSecret name; the token header's `kid`. */
  readonly serial: number;
  /** JWS algorithm the key signs with (`RS256` for RSA keys, `ES256` for P-256 keys). */
  readonly alg: 'RS256' | 'ES256';
  readonly publicKey: CryptoKey;
}

/** One signing key, imported once so that signing and verifying never re-parse PEM. */
export interface SigningKey extends VerificationKey {
  readonly privateKey: CryptoKey;
}

/** Name of the GlobalSecret holding signing key `serial` of a token kind. */
export function signingKeyName(kind: string, serial: number): string {
  return `${kind}-token-signing-key-${serial}`;
}

/** The serial encoded in a signing-key GlobalSecret name, or undefined when `name` is not one. */
export function signingKeySerial(kind: string, name: string): number | undefined {
  const prefix = `${kind}-token-signing-key-`;
  if (!name.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  if (!/^[1-9][0-9]{0,8}$/.test(digits)) return undefined;
  return Number(digits);
}

/**
 * Name of the GlobalSecret holding the *public* key of signing key `serial` (Kuma's
 * `…-signing-public-key-N`): what a zone receives instead of the private key.
 */
export function signingPublicKeyName(kind: string, serial: number): string {
  return `${kind}-token-signing-public-key-${serial}`;
}

/** The serial encoded in a public-key GlobalSecret name, or undefined when `name` is not one. */
export function signingPublicKeySerial(kind: string, name: string): number | undefined {
  const prefix = `${kind}-token-signing-public-key-`;
  if (!name.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  if (!/^[1-9][0-9]{0,8}$/.test(digits)) return undefined;
  return Number(digits);
}

/** Kind and serial of a private signing-key GlobalSecret name of any token kind, or undefined. */
export function parseSigningKeyName(name: string): { readonly kind: string; readonly serial: number } | undefined {
  const m = SIGNING_KEY_NAME.exec(name);
  if (m?.[1] === undefined || m[2] === undefined) return undefined;
  return { kind: m[1], serial: Number(m[2]) };
}

/**
 * Generates a new RSA private key as PKCS#1 PEM, the form Kuma stores in its
 * `*-token-signing-key-N` GlobalSecrets.
 */
export async function generateSigningKeyPem(): Promise<string> {
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: RSA_MODULUS_BITS });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** Imports a PEM private key (PKCS#1 or PKCS#8, RSA or P-256) for signing and verifying. */
export async function importSigningKey(serial: number, pem: string): Promise<SigningKey> {
  const nodeKey = createPrivateKey(pem);
  const alg = algorithmOf(nodeKey.asymmetricKeyType, nodeKey.asymmetricKeyDetails?.namedCurve);
  const pkcs8 = nodeKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const spki = createPublicKey(nodeKey).export({ type: 'spki', format: 'pem' }).toString();
  const [privateKey, publicKey] = await Promise.all([importPKCS8(pkcs8, alg), importSPKI(spki, alg)]);
  return Object.freeze({ serial, alg, privateKey, publicKey });
}

/** The public key (SPKI PEM) of a private key PEM. Throws when `privatePem` is not a private key. */
export function publicKeyPemOf(privatePem: string): string {
  return createPublicKey(createPrivateKey(privatePem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** Imports a PEM public key (SPKI, RSA or P-256): it verifies tokens of key `serial`, never signs. */
export async function importVerificationKey(serial: number, pem: string): Promise<VerificationKey> {
  const nodeKey = createPublicKey(pem);
  const alg = algorithmOf(nodeKey.asymmetricKeyType, nodeKey.asymmetricKeyDetails?.namedCurve);
  const spki = nodeKey.export({ type: 'spki', format: 'pem' }).toString();
  return Object.freeze({ serial, alg, publicKey: await importSPKI(spki, alg) });
}

function algorithmOf(keyType: string | undefined, curve: string | undefined): SigningKey['alg'] {
  if (keyType === 'rsa') return 'RS256';
  if (keyType === 'ec' && curve === 'prime256v1') return 'ES256';
  throw new Error(`unsupported signing key type ${keyType ?? 'unknown'}${curve === undefined ? '' : ` (${curve})`}`);
}
