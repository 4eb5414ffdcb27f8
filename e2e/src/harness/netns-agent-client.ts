import { fileURLToPath } from 'node:url';
import type { ZoneNetwork } from './netns.js';
import { startInNetns } from './netns.js';
import type { ProbeResult } from './netns-agent.js';
import type { ProcessHandle } from './process-handle.js';
import { repoRoot } from './strait-cli.js';

const agentScript = fileURLToPath(new URL('./netns-agent.ts', import.meta.url));

/** The test's hands inside one zone's namespace (see `netns-agent.ts`). */
export interface NetnsAgent {
  readonly handle: ProcessHandle;
  /** Starts a test app inside the namespace (listening on all its addresses); returns its port. */
  startApp(service: string, instance: string): Promise<number>;
  /** Stops the app on `port` and cuts its connections. */
  stopApp(port: number): Promise<void>;
  /** Makes the namespace's loopback `port` reachable from the root namespace; returns `host:port`. */
  expose(port: number): Promise<string>;
  /** Makes an HTTP request from inside the namespace (a JSON `body`); resolves with the answer. */
  fetch(url: string, method?: string, body?: unknown): Promise<Response>;
  /** Tries a TCP connect to `host:port` from inside the namespace. */
  probe(host: string, port: number, timeoutMs?: number): Promise<ProbeResult>;
}

/** Starts the agent inside `net`'s namespace and waits until it serves. */
export async function startNetnsAgent(net: ZoneNetwork, logFile: string): Promise<NetnsAgent> {
  const handle = startInNetns(net.netns, {
    name: `agent-${net.zone}`,
    command: process.execPath,
    args: ['--conditions=strait-source', '--import', 'tsx', agentScript, net.zoneAddress],
    cwd: repoRoot,
    logFile,
  });
  const ready = await handle.waitForLog('ready').catch(async (err: unknown) => {
    await handle.killGroup();
    throw err;
  });
  const base = `http://${net.zoneAddress}:${String(ready.port)}`;
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`agent in ${net.netns}: ${method} ${path} answered ${res.status}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  return {
    handle,
    startApp: async (service, instance) =>
      (await request<{ port: number }>('POST', '/apps', { service, instance })).port,
    stopApp: async (port) => {
      await request('DELETE', `/apps/${port}`);
    },
    expose: async (port) => `${net.zoneAddress}:${(await request<{ port: number }>('POST', '/expose', { port })).port}`,
    fetch: async (url, method = 'GET', body) => {
      const answer = await request<{ status: number; body: string }>('POST', '/fetch', { url, method, body });
      return new Response(answer.status === 204 ? null : answer.body, { status: answer.status });
    },
    probe: (host, port, timeoutMs = 2_000) => request<ProbeResult>('POST', '/probe', { host, port, timeoutMs }),
  };
}
