/** What a MeshTrafficPermission rule does with matching callers. */
export type TrafficAction = 'Allow' | 'Deny' | 'AllowWithShadowDeny';

/**
 * One rule for callers whose tags include every entry of `subset` (`{}` matches every caller;
 * `kuma.io/service` is the caller's service, other keys its other inbound tags). A proxy's
 * rules are ordered most specific first and the first rule that matches a caller decides.
 */
export interface PermissionRule {
  readonly subset: Readonly<Record<string, string>>;
  readonly action: TrafficAction;
  /** Names of the policies this rule came from (for inspection). */
  readonly origins: readonly string[];
}

/**
 * The traffic permissions of one inbound of one proxy. No rules means nothing matched:
 * with mTLS on, every caller is denied (as in Kuma).
 */
export interface InboundPermissions {
  readonly rules: readonly PermissionRule[];
}
