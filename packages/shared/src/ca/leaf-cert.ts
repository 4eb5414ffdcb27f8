/** Issuing end-entity certificates (proxies, control-plane servers) from a loaded CA. */
import { invalid } from '../errors/strait-error.js';
import { type CaHandle, CLOCK_SKEW_ALLOWANCE_MS, caInternals, checkLifetime } from './certificate-authority.js';
import {
  Extensions,
  encodeCertificate,
  encodeName,
  KeyUsage,
  keyIdentifier,
  type NameAttributes,
  Oid,
  randomSerialNumber,
  type SubjectAltNames,
  wholeSeconds,
} from './certificate-encoder.js';
import { generateKeyPair } from './key-pair.js';
import { toPem } from './pem.js';

/** A certificate with its new private key. The key is secret: never log it. */
export interface IssuedCertificate {
  /** The certificate alone (PEM). */
  readonly certPem: string;
  /** Its private key, PKCS#8 PEM. */
  readonly keyPem: string;
  /** The certificate followed by the issuing CA's certificate(s): Envoy's `certificate_chain`. */
  readonly chainPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber: string;
}

/** Options of {@link issueLeafCertificate}. */
export interface LeafOptions {
  /** Empty for workload certificates (the identity is the URI SAN, as in Kuma and SPIFFE). */
  readonly subject: NameAttributes;
  readonly altNames: SubjectAltNames;
  readonly validForMs: number;
  /** Default: the current time. */
  readonly now?: Date;
}

/**
 * Issues a leaf with a new ECDSA P-256 key: keyUsage digitalSignature and keyEncipherment,
 * extKeyUsage serverAuth and clientAuth, authority and subject key identifiers, dated
 * {@link CLOCK_SKEW_ALLOWANCE_MS} back and never outliving the CA. `Invalid` when the CA has expired.
 */
export async function issueLeafCertificate(ca: CaHandle, options: LeafOptions): Promise<IssuedCertificate> {
  const lifetime = checkLifetime(options.validForMs);
  if (lifetime.length > 0) throw invalid(lifetime, 'certificate options');
  const { signer, subject: issuer, keyId } = caInternals(ca);
  const nowMs = (options.now ?? new Date()).getTime();
  const notBefore = wholeSeconds(nowMs - CLOCK_SKEW_ALLOWANCE_MS);
  const notAfter = wholeSeconds(Math.min(nowMs + options.validForMs, ca.notAfter.getTime()));
  if (notAfter.getTime() <= nowMs) {
    throw invalid([{ field: 'ca.notAfter', reason: `the CA expired at ${ca.notAfter.toISOString()}` }], 'CA');
  }
  const subject = encodeName(options.subject);
  const subjectIsEmpty = Object.values(options.subject).every((v) => v === undefined);
  const key = await generateKeyPair('ecdsa-p256');
  const serialNumber = randomSerialNumber();
  const der = encodeCertificate(
    {
      serialNumber,
      issuer,
      subject,
      notBefore,
      notAfter,
      spki: key.spki,
      extensions: [
        Extensions.keyUsage([KeyUsage.digitalSignature, KeyUsage.keyEncipherment]),
        Extensions.extKeyUsage([Oid.serverAuth, Oid.clientAuth]),
        Extensions.basicConstraints(false),
        Extensions.subjectKeyIdentifier(keyIdentifier(key.spki)),
        Extensions.authorityKeyIdentifier(keyId),
        Extensions.subjectAltName(options.altNames, subjectIsEmpty),
      ],
    },
    signer,
  );
  const certPem = toPem('CERTIFICATE', der);
  return {
    certPem,
    keyPem: key.keyPem,
    chainPem: `${certPem}${ca.certPem}`,
    notBefore,
    notAfter,
    serialNumber: serialNumber.toString('hex').toUpperCase(),
  };
}
