/** What a zone token lets its holder do. */
export type ZoneTokenScope = 'cp' | 'ingress';

/** All scopes, in the order `--scope` lists them. */
export const ZONE_TOKEN_SCOPES: readonly ZoneTokenScope[] = ['cp', 'ingress'];

/**
 * Claims of a zone token: the zone it speaks for and what for (`cp`: a zone CP on KDS;
 * `ingress`: a zone ingress registering with its zone CP).
 */
export interface ZoneTokenClaims {
  readonly zone: string;
  readonly scope: readonly ZoneTokenScope[];
}
