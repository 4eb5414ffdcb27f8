/**
 * Test support for proving generated config with a real Envoy (not exported): the binary,
 * static bootstraps on disk, `--mode validate`, running Envoy until its admin API says ready,
 * and plain HTTP/TCP services and clients. Every wait polls a condition against a deadline.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import { connect, createServer as createNetServer, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { toJson } from '@bufbuild/protobuf';
import { type Bootstrap, BootstrapSchema, envoyRegistry } from '@strait/proto/envoy';

const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

/** Envoy start-up on a busy machine. */
export const ENVOY_DEADLINE_MS = 30_000;

/** The Envoy binary: `ENVOY_BIN`, else what `scripts/install-envoy.sh` provides (and prints). */
export function envoyBinary(): string {
  const fromEnv = process.env.ENVOY_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const printed = execFileSync('bash', [join(REPO_ROOT, 'scripts/install-envoy.sh')], { encoding: 'utf8' });
  const path = printed.trim().split('\n').at(-1);
  if (path === undefined || path === '') throw new Error('scripts/install-envoy.sh printed no path');
  return path;
}

/** A free loopback TCP port (asked of the kernel, then released for the caller to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value other than `undefined`, or fails after `deadlineMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  deadlineMs = ENVOY_DEADLINE_MS,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await delay(50);
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

/** Writes a bootstrap as JSON (Envoy picks the format by the extension) and returns its path. */
export function writeBootstrap(dir: string, name: string, bootstrap: Bootstrap): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(toJson(BootstrapSchema, bootstrap, { registry: envoyRegistry }), null, 2));
  return path;
}

/** Runs `envoy --mode validate`; resolves with its exit code and output. */
export async function validateWithEnvoy(binary: string, configPath: string): Promise<{ code: number; output: string }> {
  const child = spawn(binary, ['--mode', 'validate', '-c', configPath, '-l', 'error', '--disable-hot-restart'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code: code ?? -1, output };
}

/** A running Envoy. */
export interface RunningEnvoy {
  readonly adminPort: number;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within the grace. */
  kill(): Promise<void>;
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Starts Envoy with the bootstrap at `configPath` and waits until its admin `/ready` answers 200. */
export async function startEnvoy(binary: string, configPath: string, dir: string, name: string): Promise<RunningEnvoy> {
  const adminAddressPath = join(dir, `${name}.admin`);
  const child = spawn(
    binary,
    [
      '-c',
      configPath,
      '-l',
      'warning',
      '--disable-hot-restart',
      '--use-dynamic-base-id',
      '--admin-address-path',
      adminAddressPath,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const envoy = { output: () => output, kill: () => killChild(child) };
  try {
    const adminPort = await waitFor('the admin address', () => {
      if (child.exitCode !== null) throw new Error(`Envoy exited with ${child.exitCode}:\n${output}`);
      const text = readFileSync(adminAddressPath, 'utf8').trim();
      const port = Number(text.split(':').at(-1));
      return Number.isInteger(port) && port > 0 ? port : undefined;
    });
    await waitFor('Envoy to be ready', async () => {
      if (child.exitCode !== null) throw new Error(`Envoy exited with ${child.exitCode}:\n${output}`);
      return (await httpGet(adminPort, '/ready')).status === 200 ? true : undefined;
    });
    return { ...envoy, adminPort };
  } catch (err) {
    await envoy.kill();
    throw new Error(`${(err as Error).message}\n--- Envoy output ---\n${output}`);
  }
}

/** A plain HTTP server on a free loopback port answering every request with `body`. */
export async function startHttpService(body: string): Promise<{ server: Server; port: number }> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

/**
 * A client-first TCP server on a free loopback port: answers the first bytes it receives with
 * `greeting` and closes. (Client-first because Envoy's network RBAC decides on the first bytes
 * from the client: a server that speaks first would be heard by a denied caller.)
 */
export async function startTcpService(greeting: string): Promise<{ server: NetServer; port: number }> {
  const server = createNetServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(greeting));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

/** GET http://127.0.0.1:port/path on a fresh connection. */
export function httpGet(port: number, path = '/', timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Connects to 127.0.0.1:port, sends `message`, resolves with everything received until the peer closes. */
export function tcpExchange(port: number, message: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(message));
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('TCP read timed out')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}
