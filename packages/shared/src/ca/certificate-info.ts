/** Reading certificates: lifetime, names and CA flag, and when to renew them. */
import { invalid } from '../errors/strait-error.js';
import { Oid } from './certificate-encoder.js';
import { children, type DerNode, decodeOid, decodeTime, readNode, Tag } from './der.js';
import { bytesToIp } from './ip-address.js';
import { pemBlocks } from './pem.js';

/** What callers need to know about a certificate. */
export interface CertificateInfo {
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** URI subject alternative names, e.g. `spiffe://default/backend`. */
  readonly uris: readonly string[];
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** Upper-case hex, no leading zeros (as `node:crypto` prints it). */
  readonly serialNumber: string;
  /** basicConstraints cA. */
  readonly isCa: boolean;
}

/** A certificate decoded far enough to issue from it or report on it. */
export interface ParsedCertificate extends CertificateInfo {
  /** DER Name of the subject, verbatim. */
  readonly subject: Buffer;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Buffer;
  /** The subjectKeyIdentifier extension's key id, when present. */
  readonly subjectKeyId?: Buffer;
}

/**
 * Describes the first certificate of a PEM text (a bundle's leaf).
 * Throws `Invalid` (field `certPem`) when there is no parsable certificate.
 */
export function certificateInfo(certPem: string): CertificateInfo {
  const { subject: _subject, spki: _spki, subjectKeyId: _keyId, ...info } = parseCertificatePem(certPem);
  return info;
}

/**
 * When to renew a certificate: after `fraction` of its lifetime (default 0.8, so a 24 h
 * certificate is renewed 4.8 h before it expires).
 */
export function renewAt(notBefore: Date, notAfter: Date, fraction = 0.8): Date {
  const lifetimeMs = notAfter.getTime() - notBefore.getTime();
  return new Date(notBefore.getTime() + Math.max(0, lifetimeMs) * fraction);
}

/** Parses the first CERTIFICATE block of `pem`; `Invalid` (field `field`) when absent or malformed. */
export function parseCertificatePem(pem: string, field = 'certPem'): ParsedCertificate {
  const [der] = pemBlocks(pem, 'CERTIFICATE');
  if (der === undefined) throw invalid([{ field, reason: 'no PEM CERTIFICATE block' }], 'certificate');
  try {
    return parseCertificateDer(der);
  } catch (err) {
    throw invalid([{ field, reason: `malformed certificate: ${(err as Error).message}` }], 'certificate');
  }
}

/** Decodes a DER certificate; throws a plain Error when it is not one. */
export function parseCertificateDer(der: Buffer): ParsedCertificate {
  const [tbsNode] = children(expect(readNode(der), Tag.sequence));
  const tbs = children(expect(tbsNode, Tag.sequence));
  const v = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const serial = expect(tbs[v], Tag.integer).content;
  const [notBefore, notAfter] = children(expect(tbs[v + 3], Tag.sequence));
  const subject = expect(tbs[v + 4], Tag.sequence).raw;
  const spki = expect(tbs[v + 5], Tag.sequence).raw;
  const extensionsNode = tbs.slice(v + 6).find((n) => n.tag === 0xa3);
  const extensions = extensionsNode === undefined ? new Map<string, Buffer>() : readExtensions(extensionsNode);
  const san = readSubjectAltNames(extensions.get(Oid.subjectAltName));
  const keyIdValue = extensions.get(Oid.subjectKeyIdentifier);
  return {
    notBefore: decodeTime(expect(notBefore)),
    notAfter: decodeTime(expect(notAfter)),
    ...san,
    serialNumber: serialHex(serial),
    isCa: readIsCa(extensions.get(Oid.basicConstraints)),
    subject: Buffer.from(subject),
    spki: Buffer.from(spki),
    ...(keyIdValue === undefined ? {} : { subjectKeyId: Buffer.from(readNode(keyIdValue).content) }),
  };
}

function readExtensions(node: DerNode): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const [list] = children(node);
  for (const ext of children(expect(list, Tag.sequence))) {
    const parts = children(ext);
    const type = expect(parts[0], Tag.oid);
    const value = expect(parts[parts.length - 1], Tag.octetString);
    out.set(decodeOid(type.content), value.content);
  }
  return out;
}

function readSubjectAltNames(value: Buffer | undefined): Pick<CertificateInfo, 'uris' | 'dnsNames' | 'ipAddresses'> {
  const uris: string[] = [];
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  if (value !== undefined) {
    for (const name of children(readNode(value))) {
      if (name.tag === 0x86) uris.push(name.content.toString('ascii'));
      else if (name.tag === 0x82) dnsNames.push(name.content.toString('ascii'));
      else if (name.tag === 0x87) {
        const ip = bytesToIp(name.content);
        if (ip !== undefined) ipAddresses.push(ip);
      }
    }
  }
  return { uris, dnsNames, ipAddresses };
}

function readIsCa(value: Buffer | undefined): boolean {
  if (value === undefined) return false;
  const [first] = children(readNode(value));
  return first?.tag === Tag.boolean && first.content[0] !== 0;
}

function serialHex(content: Buffer): string {
  const hex = content.toString('hex').replace(/^0+(?=.)/, '');
  return hex.toUpperCase();
}

function expect(node: DerNode | undefined, tag?: number): DerNode {
  if (node === undefined || (tag !== undefined && node.tag !== tag))
    throw new Error('unexpected certificate structure');
  return node;
}
