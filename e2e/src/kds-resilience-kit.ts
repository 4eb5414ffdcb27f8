/**
 * What the KDS resilience e2e tests share: federated zone CPs started with a zone token, the
 * global-origin policy sets of a global and of a zone (compared by display name + spec), the
 * deletes a zone CP logged as applied from KDS, and the KDS counters of a CP's `/metrics`.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type GlobalCpProcess,
  type ProcessHandle,
  startZoneCpProcess,
  type ZoneCpPorts,
  type ZoneCpProcess,
  zoneCpPorts,
} from './harness/index.js';

/** JSON body and header of a REST write. */
export const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A MeshTimeout of mesh `default` whose idle timeout tells versions apart. */
export function meshTimeout(name: string, idleTimeout: string) {
  return {
    type: 'MeshTimeout',
    mesh: 'default',
    name,
    spec: { targetRef: { kind: 'Mesh' }, to: [{ targetRef: { kind: 'Mesh' }, default: { idleTimeout } }] },
  };
}

/** PUTs a MeshTimeout on `api`; the HTTP status (throws on a network error). */
export async function putMeshTimeout(api: string, name: string, idleTimeout: string): Promise<number> {
  const res = await fetch(`${api}/meshes/default/meshtimeouts/${name}`, {
    method: 'PUT',
    ...json(meshTimeout(name, idleTimeout)),
  });
  await res.arrayBuffer();
  return res.status;
}

/** DELETEs a MeshTimeout on `api`; the HTTP status. */
export async function deleteMeshTimeout(api: string, name: string): Promise<number> {
  const res = await fetch(`${api}/meshes/default/meshtimeouts/${name}`, { method: 'DELETE' });
  await res.arrayBuffer();
  return res.status;
}

/** Issues a zone token (scope cp) on the global. */
export async function zoneToken(global: GlobalCpProcess, zone: string): Promise<string> {
  const res = await fetch(`${global.api}/tokens/zone`, { method: 'POST', ...json({ zone, scope: ['cp'] }) });
  assert.equal(res.status, 200);
  return (await res.text()).trim();
}

/** Starts (or restarts, with the same `ports` and data dir) a zone CP connected to `global`. */
export async function startFederatedZone(
  dir: string,
  name: string,
  global: GlobalCpProcess,
  token: string,
  options: { ports?: ZoneCpPorts; kdsAddress?: string; env?: Record<string, string> } = {},
): Promise<ZoneCpProcess> {
  const tokenFile = join(dir, `${name}.token`);
  writeFileSync(tokenFile, token, { mode: 0o600 });
  return startZoneCpProcess(name, join(dir, name), options.ports ?? (await zoneCpPorts()), {
    STRAIT_ZONE_NAME: name,
    STRAIT_GLOBAL_ADDRESS: options.kdsAddress ?? global.kds,
    STRAIT_GLOBAL_CA_FILE: global.caFile,
    STRAIT_ZONE_TOKEN_FILE: tokenFile,
    ...options.env,
  });
}

interface ListedResource {
  readonly name: string;
  readonly labels?: Record<string, string>;
  readonly spec: unknown;
}

/** Every item of a REST list, following pages. */
async function listAll(url: string): Promise<ListedResource[]> {
  const items: ListedResource[] = [];
  for (let offset = 0; ; ) {
    const sep = url.includes('?') ? '&' : '?';
    const res = await fetch(`${url}${sep}size=1000&offset=${offset}`);
    assert.equal(res.status, 200, `GET ${url}`);
    const page = (await res.json()) as { items: ListedResource[]; total: number };
    items.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return items;
  }
}

/** display name → JSON of the spec, of the MeshTimeouts the global itself holds (not zone copies). */
export async function globalMeshTimeouts(global: GlobalCpProcess): Promise<Map<string, string>> {
  const items = await listAll(`${global.api}/meshes/default/meshtimeouts`);
  return new Map(
    items
      .filter((i) => i.labels?.['kuma.io/origin'] !== 'zone')
      .map((i) => [i.labels?.['kuma.io/display-name'] ?? i.name, JSON.stringify(i.spec)]),
  );
}

/** display name → JSON of the spec, of the MeshTimeouts a zone got from the global. */
export async function zoneGlobalMeshTimeouts(zone: ZoneCpProcess): Promise<Map<string, string>> {
  const items = await listAll(`${zone.api}/meshes/default/meshtimeouts?filter[labels.kuma.io/origin]=global`);
  return new Map(
    items
      .filter((i) => i.labels?.['kuma.io/origin'] === 'global')
      .map((i) => [i.labels?.['kuma.io/display-name'] ?? i.name, JSON.stringify(i.spec)]),
  );
}

/** The names on which two sets differ (missing, extra, or another spec); empty when equal. */
export function differences(want: ReadonlyMap<string, string>, got: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [name, spec] of want) if (got.get(name) !== spec) out.push(got.has(name) ? `~${name}` : `-${name}`);
  for (const name of got.keys()) if (!want.has(name)) out.push(`+${name}`);
  return out;
}

/** One delete a CP applied because its KDS peer removed the resource (its log line). */
export interface KdsDelete {
  readonly type: string;
  readonly mesh?: string;
  readonly name: string;
  readonly displayName?: string;
}

/** The log line of a delete applied from KDS (delta-receiver.ts). */
export const KDS_DELETE_MSG = 'KDS deleted a resource the peer removed';

/** Every delete applied from KDS that `handles` (one CP's successive processes) logged. */
export function kdsDeletes(handles: readonly ProcessHandle[]): KdsDelete[] {
  const out: KdsDelete[] = [];
  for (const handle of handles) {
    for (const line of handle.lines) {
      if (!line.includes(KDS_DELETE_MSG)) continue;
      const entry = JSON.parse(line) as KdsDelete & { msg: string };
      if (entry.msg === KDS_DELETE_MSG) out.push(entry);
    }
  }
  return out;
}

/** Sum of a counter's samples on a CP's `/metrics` whose labels include all of `labels`. */
export async function counterValue(
  diagnostics: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  const res = await fetch(`${diagnostics}/metrics`);
  assert.equal(res.status, 200);
  let sum = 0;
  for (const line of (await res.text()).split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const have = new Map([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(m[3]);
  }
  return sum;
}
