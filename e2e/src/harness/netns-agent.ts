/**
 * The test's hands inside a zone's network namespace (run there by {@link startNetnsAgent}):
 * a small HTTP control server on the zone's address that starts and stops test apps, exposes
 * loopback-only ports (Envoy admin) on the zone's address, makes HTTP requests from inside
 * (a zone CP's API treats loopback callers as admins), and probes TCP reachability from inside
 * the namespace. Usage: `node netns-agent.ts <zone address>`; logs `{"msg":"ready","port":N}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { type HttpApp, startHttpApp } from './http-app.js';
import { startTcpForwarder, type TcpForwarder } from './tcp-forwarder.js';

/** Result of a TCP connect attempt. */
export interface ProbeResult {
  readonly connected: boolean;
  /** The error code when it did not connect (`ENETUNREACH`, `ECONNREFUSED`, `ETIMEDOUT`, …). */
  readonly code?: string;
}

/** Tries to open a TCP connection to `host:port`, and closes it at once. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ connected: true });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ connected: false, code: 'ETIMEDOUT' });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ connected: false, code: err.code ?? err.message }));
  });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
}

async function main(host: string): Promise<void> {
  const apps = new Map<number, HttpApp>();
  const exposed: TcpForwarder[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/';
    const body = await readJson(req);
    if (req.method === 'POST' && path === '/apps') {
      // On every address of the namespace: the sidecar reaches it on loopback, probes on the zone address.
      const app = await startHttpApp(String(body.service), String(body.instance), '0.0.0.0');
      apps.set(app.port, app);
      return reply(res, 200, { port: app.port });
    }
    const appPort = /^\/apps\/(\d+)$/.exec(path)?.[1];
    if (req.method === 'DELETE' && appPort !== undefined) {
      await apps.get(Number(appPort))?.close();
      apps.delete(Number(appPort));
      return reply(res, 204);
    }
    if (req.method === 'POST' && path === '/expose') {
      const forwarder = await startTcpForwarder({
        listen: { host, port: 0 },
        target: { host: '127.0.0.1', port: Number(body.port) },
      });
      exposed.push(forwarder);
      return reply(res, 200, { port: forwarder.port });
    }
    if (req.method === 'POST' && path === '/fetch') {
      const upstream = await fetch(String(body.url), {
        method: String(body.method ?? 'GET'),
        ...(body.body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body.body) }),
        signal: AbortSignal.timeout(10_000),
      });
      return reply(res, 200, { status: upstream.status, body: await upstream.text() });
    }
    if (req.method === 'POST' && path === '/probe') {
      return reply(res, 200, await probeTcp(String(body.host), Number(body.port), Number(body.timeoutMs ?? 2_000)));
    }
    reply(res, 404, { error: `no route ${req.method} ${path}` });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => reply(res, 500, { error: (err as Error).message }));
  });
  server.listen(0, host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    console.log(JSON.stringify({ msg: 'ready', port }));
  });
}

const [host] = process.argv.slice(2);
if (host === undefined) {
  console.error('usage: netns-agent.ts <zone address>');
  process.exit(2);
}
await main(host);
