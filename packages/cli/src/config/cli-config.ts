import { invalid, StraitError, type Violation } from '@strait/shared';

/** One control plane the CLI knows, by name (a "context"). */
export interface ControlPlaneEntry {
  readonly name: string;
  /** Base URL of its REST API, `http(s)://host:port`. */
  readonly address: string;
  /** Bearer token, stored as given (the file is 0600). */
  readonly authToken?: string;
  /** File the bearer token is read from on every call (so a rotated token is picked up). */
  readonly authTokenFile?: string;
  /** PEM file the server certificate must chain to. */
  readonly caCertFile?: string;
  /** Accept any server certificate. */
  readonly skipVerify?: boolean;
}

/** The CLI's configuration file: known control planes and which one is current. */
export interface CliConfig {
  /** Name of the control plane commands talk to. */
  readonly current?: string;
  readonly controlPlanes: readonly ControlPlaneEntry[];
}

/** Name and address of the control plane used when no configuration file exists. */
export const LOCAL_CONTROL_PLANE: ControlPlaneEntry = Object.freeze({
  name: 'local',
  address: 'http://127.0.0.1:5681',
});

/** The configuration in effect before the user saves any: just `local`, current. */
export const DEFAULT_CLI_CONFIG: CliConfig = Object.freeze({
  current: LOCAL_CONTROL_PLANE.name,
  controlPlanes: Object.freeze([LOCAL_CONTROL_PLANE]),
});

/** The current control plane, or the local default when none is set (or it was removed). */
export function currentControlPlane(config: CliConfig): ControlPlaneEntry {
  return config.controlPlanes.find((cp) => cp.name === config.current) ?? LOCAL_CONTROL_PLANE;
}

/**
 * Adds (or with `overwrite`, replaces) a control plane and makes it current.
 * `AlreadyExists` when the name is taken and `overwrite` is not set.
 */
export function addControlPlane(config: CliConfig, entry: ControlPlaneEntry, overwrite: boolean): CliConfig {
  const exists = config.controlPlanes.some((cp) => cp.name === entry.name);
  if (exists && !overwrite) {
    throw new StraitError(
      'AlreadyExists',
      `control plane "${entry.name}" already exists; pass --overwrite to replace it`,
    );
  }
  const controlPlanes = exists
    ? config.controlPlanes.map((cp) => (cp.name === entry.name ? entry : cp))
    : [...config.controlPlanes, entry];
  return { current: entry.name, controlPlanes };
}

/** Makes `name` current; `NotFound` when there is no such control plane. */
export function switchControlPlane(config: CliConfig, name: string): CliConfig {
  requireEntry(config, name);
  return { ...config, current: name };
}

/** Removes `name`; when it was current, the first remaining one becomes current. */
export function removeControlPlane(config: CliConfig, name: string): CliConfig {
  requireEntry(config, name);
  const controlPlanes = config.controlPlanes.filter((cp) => cp.name !== name);
  const current = config.current === name ? controlPlanes[0]?.name : config.current;
  return current === undefined ? { controlPlanes } : { current, controlPlanes };
}

function requireEntry(config: CliConfig, name: string): void {
  if (!config.controlPlanes.some((cp) => cp.name === name)) {
    const known = config.controlPlanes.map((cp) => cp.name).join(', ') || 'none';
    throw new StraitError('NotFound', `there is no control plane "${name}" (known: ${known})`);
  }
}

/** Checks a control plane address: an absolute `http` or `https` URL. Returns the reason it is not, or undefined. */
export function checkAddress(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'must be an absolute URL, e.g. http://127.0.0.1:5681';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  return undefined;
}

/** Validates a parsed configuration file; throws `Invalid` naming each offending field. */
export function parseCliConfig(raw: unknown): CliConfig {
  if (raw === null || raw === undefined) return { controlPlanes: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid([{ field: '(root)', reason: 'must be a map' }]);
  const o = raw as Record<string, unknown>;
  const violations: Violation[] = [];
  const list = o.controlPlanes ?? [];
  if (!Array.isArray(list)) violations.push({ field: 'controlPlanes', reason: 'must be a list' });
  const controlPlanes = Array.isArray(list) ? list.map((e, i) => parseEntry(e, `controlPlanes[${i}]`, violations)) : [];
  if (o.current !== undefined && typeof o.current !== 'string')
    violations.push({ field: 'current', reason: 'must be a string' });
  const names = new Set<string>();
  for (const [i, cp] of controlPlanes.entries()) {
    if (names.has(cp.name))
      violations.push({ field: `controlPlanes[${i}].name`, reason: `duplicate name "${cp.name}"` });
    names.add(cp.name);
  }
  if (violations.length > 0) throw invalid(violations, 'configuration');
  return typeof o.current === 'string' ? { current: o.current, controlPlanes } : { controlPlanes };
}

function parseEntry(raw: unknown, at: string, violations: Violation[]): ControlPlaneEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    violations.push({ field: at, reason: 'must be a map' });
    return { name: '', address: '' };
  }
  const o = raw as Record<string, unknown>;
  const str = (key: string, required: boolean): string | undefined => {
    const v = o[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '') {
      violations.push({ field: `${at}.${key}`, reason: 'must be a non-empty string' });
      return undefined;
    }
    return v;
  };
  const name = str('name', true) ?? '';
  const address = str('address', true) ?? '';
  const addressProblem = address === '' ? undefined : checkAddress(address);
  if (addressProblem !== undefined) violations.push({ field: `${at}.address`, reason: addressProblem });
  if (o.skipVerify !== undefined && typeof o.skipVerify !== 'boolean') {
    violations.push({ field: `${at}.skipVerify`, reason: 'must be true or false' });
  }
  const authToken = str('authToken', false);
  const authTokenFile = str('authTokenFile', false);
  const caCertFile = str('caCertFile', false);
  return {
    name,
    address,
    ...(authToken === undefined ? {} : { authToken }),
    ...(authTokenFile === undefined ? {} : { authTokenFile }),
    ...(caCertFile === undefined ? {} : { caCertFile }),
    ...(o.skipVerify === true ? { skipVerify: true } : {}),
  };
}
