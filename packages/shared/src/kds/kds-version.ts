/**
 * Per-resource KDS versions are content hashes: both sides compute the same version for the
 * same content without storing anything extra. That is what makes resuming cheap: a
 * reconnecting receiver lists what it holds with versions computed from its own store, and the
 * sender sends exactly the resources whose content differs.
 */

import { createHash } from 'node:crypto';
import { canonicalJson } from '../policies/merge-confs.js';

/** The content a version covers: what the receiver stores, minus metadata it assigns itself. */
export interface VersionedContent {
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: unknown;
  readonly status?: unknown;
}

/** Hex digits kept of the sha256: 64 bits, far beyond any type's resource count. */
const VERSION_LENGTH = 16;

/**
 * The version of a resource's content: sha256 of the canonical JSON (sorted keys) of its
 * labels, spec and status, truncated. Names, times and store revisions are left out: they
 * differ between the two stores for the same content.
 */
export function kdsContentVersion(content: VersionedContent): string {
  const canonical = canonicalJson({ labels: content.labels, spec: content.spec ?? null, status: content.status });
  return createHash('sha256').update(canonical).digest('hex').slice(0, VERSION_LENGTH);
}
