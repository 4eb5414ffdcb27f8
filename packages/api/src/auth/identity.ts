import type { FastifyRequest } from 'fastify';

/** Who is calling the API. */
export interface Identity {
  readonly name: string;
  readonly groups: readonly string[];
}

/** Members of this group may write; everyone authenticated may read (Kuma's admin group). */
export const ADMIN_GROUP = 'mesh-system:admin';

/** The identity of a direct loopback caller without a token, as Kuma names it. */
export const LOCALHOST_ADMIN: Identity = Object.freeze({
  name: 'mesh-system:admin',
  groups: Object.freeze(['mesh-system:admin', 'mesh-system:authenticated']),
});

/** True when `identity` may write and read secrets. */
export function isAdmin(identity: Identity): boolean {
  return identity.groups.includes(ADMIN_GROUP);
}

const identities = new WeakMap<FastifyRequest, Identity>();

/** Records who made `request` (the auth hook does, before any handler runs). */
export function setIdentity(request: FastifyRequest, identity: Identity): void {
  identities.set(request, identity);
}

/** Who made `request`; undefined on public routes. CP routes use it for their own checks. */
export function identityOf(request: FastifyRequest): Identity | undefined {
  return identities.get(request);
}
