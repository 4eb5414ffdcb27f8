/** The bootstrap file Envoy starts from: admin pinned to loopback, written readable by the owner only. */
import { rm, writeFile } from 'node:fs/promises';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A field by its proto3 JSON name or its original snake_case name (Envoy accepts both). */
function fieldKey(obj: Json, camel: string, snake: string): string {
  return snake in obj && !(camel in obj) ? snake : camel;
}

/**
 * A copy of `bootstrap` whose admin listens on loopback: an admin section is added when missing
 * (the runner needs it to drain and probe readiness), and `adminPort`, when given, replaces the
 * port the control plane chose. The input is not modified.
 */
export function withLoopbackAdmin(bootstrap: Json, adminPort?: number): Json {
  const out = structuredClone(bootstrap);
  if (!isRecord(out.admin)) out.admin = {};
  const admin = out.admin as Json;
  if (!isRecord(admin.address)) admin.address = {};
  const address = admin.address as Json;
  const socketKey = fieldKey(address, 'socketAddress', 'socket_address');
  if (!isRecord(address[socketKey])) address[socketKey] = { address: '127.0.0.1', portValue: adminPort ?? 0 };
  const socket = address[socketKey] as Json;
  if (typeof socket.address !== 'string') socket.address = '127.0.0.1';
  if (adminPort !== undefined) socket[fieldKey(socket, 'portValue', 'port_value')] = adminPort;
  return out;
}

/** Writes the bootstrap as JSON with mode 0600: it holds the proxy's token in the ADS initial metadata. */
export async function writeBootstrapFile(path: string, bootstrap: Json): Promise<void> {
  // Created afresh (`wx`) so the mode applies even when an older file with a wider mode was there.
  await rm(path, { force: true });
  await writeFile(path, `${JSON.stringify(bootstrap, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
}
