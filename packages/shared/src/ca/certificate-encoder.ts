/**
 * Encodes and signs X.509 v3 certificates (RFC 5280) of the few shapes Strait issues:
 * root CAs and leaf certificates with URI, DNS and IP subject alternative names.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  bitString,
  booleanTrue,
  children,
  contextConstructed,
  contextPrimitive,
  namedBits,
  octetString,
  oid,
  readNode,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';
import { ipToBytes } from './ip-address.js';
import type { CertificateSigner } from './key-pair.js';

/** Object identifiers used in certificates. */
export const Oid = Object.freeze({
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
});

/** Bit positions of the KeyUsage extension. */
export const KeyUsage = Object.freeze({ digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 });

/** Distinguished-name attributes, written in this order (O, OU, CN) as UTF8Strings; all optional. */
export interface NameAttributes {
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly commonName?: string;
}

/** Subject alternative names of a certificate. */
export interface SubjectAltNames {
  readonly uris?: readonly string[];
  readonly dnsNames?: readonly string[];
  /** IPv4 or IPv6 text form. */
  readonly ipAddresses?: readonly string[];
}

/** DER Name; an empty SEQUENCE when no attribute is given. */
export function encodeName(attributes: NameAttributes): Buffer {
  const rdn = (type: string, value: string | undefined): Buffer[] =>
    value === undefined ? [] : [set(sequence(oid(type), utf8String(value)))];
  return sequence(
    ...rdn(Oid.organization, attributes.organization),
    ...rdn(Oid.organizationalUnit, attributes.organizationalUnit),
    ...rdn(Oid.commonName, attributes.commonName),
  );
}

function extension(type: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(type), ...(critical ? [booleanTrue()] : []), octetString(value));
}

/** Builders of the extensions Strait writes. DER leaves out default values (cA FALSE, critical FALSE). */
export const Extensions = Object.freeze({
  basicConstraints: (isCa: boolean): Buffer =>
    extension(Oid.basicConstraints, true, isCa ? sequence(booleanTrue()) : sequence()),
  keyUsage: (bits: readonly number[]): Buffer => extension(Oid.keyUsage, true, namedBits(bits)),
  extKeyUsage: (purposes: readonly string[]): Buffer =>
    extension(Oid.extKeyUsage, false, sequence(...purposes.map((p) => oid(p)))),
  subjectKeyIdentifier: (keyId: Buffer): Buffer => extension(Oid.subjectKeyIdentifier, false, octetString(keyId)),
  authorityKeyIdentifier: (keyId: Buffer): Buffer =>
    extension(Oid.authorityKeyIdentifier, false, sequence(contextPrimitive(0, keyId))),
  /** RFC 5280 §4.2.1.6: critical exactly when the subject is empty. */
  subjectAltName: (names: SubjectAltNames, critical: boolean): Buffer =>
    extension(Oid.subjectAltName, critical, encodeGeneralNames(names)),
});

function encodeGeneralNames(names: SubjectAltNames): Buffer {
  const dns = (names.dnsNames ?? []).map((n) => contextPrimitive(2, Buffer.from(n, 'ascii')));
  const uris = (names.uris ?? []).map((u) => contextPrimitive(6, Buffer.from(u, 'ascii')));
  const ips = (names.ipAddresses ?? []).map((ip) => {
    const bytes = ipToBytes(ip);
    if (bytes === undefined) throw new Error(`not an IP address: ${ip}`);
    return contextPrimitive(7, bytes);
  });
  return sequence(...dns, ...ips, ...uris);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits of a DER SubjectPublicKeyInfo. */
export function keyIdentifier(spki: Buffer): Buffer {
  const [, publicKeyBits] = children(readNode(spki));
  if (publicKeyBits === undefined) throw new Error('malformed SubjectPublicKeyInfo');
  return createHash('sha1').update(publicKeyBits.content.subarray(1)).digest();
}

/** A random positive 127-bit serial number (CA/B Forum asks for at least 64 bits of entropy). */
export function randomSerialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive and exactly 16 octets in DER
  return serial;
}

/** Everything of a certificate but its signature. */
export interface CertificateTemplate {
  readonly serialNumber: Buffer;
  /** DER Name of the issuer, copied byte for byte from the CA certificate's subject. */
  readonly issuer: Buffer;
  readonly subject: Buffer;
  /** Whole seconds; see {@link wholeSeconds}. */
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Buffer;
  readonly extensions: readonly Buffer[];
}

/** Builds the TBSCertificate, signs it and returns the DER certificate. */
export function encodeCertificate(template: CertificateTemplate, signer: CertificateSigner): Buffer {
  const tbs = sequence(
    contextConstructed(0, smallInteger(2)), // v3
    unsignedInteger(template.serialNumber),
    signer.algorithm,
    template.issuer,
    sequence(time(template.notBefore), time(template.notAfter)),
    template.subject,
    template.spki,
    contextConstructed(3, sequence(...template.extensions)),
  );
  return sequence(tbs, signer.algorithm, bitString(signer.sign(tbs)));
}

/** Certificates carry whole seconds; rounding down up front keeps reported and encoded times equal. */
export function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}
