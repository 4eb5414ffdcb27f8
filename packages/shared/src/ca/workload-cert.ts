/** Workload (proxy) identity certificates: X.509 SVIDs for `spiffe://<mesh>/<service>`. */
import { invalid, type Violation } from '../errors/strait-error.js';
import type { CaHandle } from './certificate-authority.js';
import { type IssuedCertificate, issueLeafCertificate } from './leaf-cert.js';

/** Options of {@link issueWorkloadCertificate}. */
export interface WorkloadCertificateOptions {
  /** The proxy's identity, `spiffe://<mesh>/<service>`; the first URI SAN. */
  readonly spiffeId: string;
  /** More URI SANs, e.g. Kuma's tag URIs `kuma://kuma.io/service/<service>`. */
  readonly extraUris?: readonly string[];
  readonly dnsNames?: readonly string[];
  /** Lifetime (Kuma's default for proxy certificates is 24 h); capped at the CA's expiry. */
  readonly validForMs: number;
  /** Default: the current time. */
  readonly now?: Date;
}

/**
 * Issues a proxy's certificate: empty subject, critical URI SANs (the SPIFFE ID first), usable
 * for both sides of mesh mTLS. `Invalid` when an ID or URI is malformed or the CA has expired.
 */
export async function issueWorkloadCertificate(
  ca: CaHandle,
  options: WorkloadCertificateOptions,
): Promise<IssuedCertificate> {
  const extraUris = options.extraUris ?? [];
  const violations = [
    ...checkSpiffeId(options.spiffeId),
    ...extraUris.flatMap((uri, i) => checkUri(uri, `extraUris[${i}]`)),
    ...(options.dnsNames ?? []).flatMap((name, i) => checkDnsName(name, `dnsNames[${i}]`)),
  ];
  if (violations.length > 0) throw invalid(violations, 'workload certificate options');
  const uris = [...new Set([options.spiffeId, ...extraUris])];
  return issueLeafCertificate(ca, {
    subject: {},
    altNames: { uris, dnsNames: options.dnsNames ?? [] },
    validForMs: options.validForMs,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

/** The SPIFFE ID of a service in a mesh (the mesh name is the trust domain, as in Kuma). */
export function spiffeIdOf(mesh: string, service: string): string {
  return `spiffe://${mesh}/${service}`;
}

function checkSpiffeId(id: string): Violation[] {
  const reason = 'must be spiffe://<trust-domain>/<path>';
  if (!id.startsWith('spiffe://')) return [{ field: 'spiffeId', reason }];
  const bad = checkUri(id, 'spiffeId');
  if (bad.length > 0) return bad;
  const url = new URL(id);
  return url.hostname === '' || url.pathname.length <= 1 || url.search !== '' || url.hash !== ''
    ? [{ field: 'spiffeId', reason }]
    : [];
}

function checkUri(uri: string, field: string): Violation[] {
  // A URI SAN is an IA5String: ASCII only, and it must parse as an absolute URI.
  if (!/^[\x21-\x7e]+$/.test(uri) || !URL.canParse(uri)) return [{ field, reason: 'must be an absolute ASCII URI' }];
  return [];
}

function checkDnsName(name: string, field: string): Violation[] {
  return /^(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/.test(name) && name.length <= 253
    ? []
    : [{ field, reason: 'must be a DNS name' }];
}
