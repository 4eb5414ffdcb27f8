/**
 * The certificate authority: mesh CAs kept in the store, proxy (SPIFFE) certificates, and the
 * TLS material a control plane serves with.
 */

export type { CaHandle, CaMaterial, CreateRootCaOptions } from './certificate-authority.js';
export { CLOCK_SKEW_ALLOWANCE_MS, createRootCa, loadCa } from './certificate-authority.js';
export type { CertificateInfo } from './certificate-info.js';
export { certificateInfo, renewAt } from './certificate-info.js';
export type { KeyAlgorithm } from './key-pair.js';
export type { IssuedCertificate } from './leaf-cert.js';
export type { MeshCaManager, MeshCaManagerOptions } from './mesh-ca-store.js';
export { caCertSecretName, caKeySecretName, createMeshCaManager } from './mesh-ca-store.js';
export type { SelfSignedServerCertificateOptions, ServerCertificate } from './server-cert.js';
export { createSelfSignedServerCertificate, DEFAULT_SERVER_CERT_VALID_FOR_MS } from './server-cert.js';
export type { EnsureServerTlsFilesOptions, ServerTlsFiles } from './server-tls-files.js';
export { ensureServerTlsFiles } from './server-tls-files.js';
export type { WorkloadCertificateOptions } from './workload-cert.js';
export { issueWorkloadCertificate, spiffeIdOf } from './workload-cert.js';
