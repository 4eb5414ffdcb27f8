import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP address. */
export interface TcpAddress {
  readonly host: string;
  readonly port: number;
}

/** Options of {@link startTcpForwarder}. */
export interface TcpForwarderOptions {
  /** Where to accept connections; port 0 picks a free one. */
  readonly listen: TcpAddress;
  /** Where each accepted connection is relayed to. */
  readonly target: TcpAddress;
}

/** A userspace TCP relay: every accepted connection is piped to the target, both ways. */
export interface TcpForwarder {
  /** The bound port (the requested one, or the kernel's pick for port 0). */
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Stops listening and cuts every open connection. */
  close(): Promise<void>;
}

/**
 * Relays `listen` to `target`. When the target refuses or drops a connection, the accepted
 * side is closed at once, so a caller sees a definite failure instead of a hang.
 */
export async function startTcpForwarder(options: TcpForwarderOptions): Promise<TcpForwarder> {
  const open = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((downstream) => {
    accepted++;
    const upstream = connect(options.target.port, options.target.host);
    for (const s of [downstream, upstream]) {
      open.add(s);
      s.once('close', () => open.delete(s));
    }
    // A failure on either side closes the other at once, so its peer does not wait for more. (Not
    // resetAndDestroy(): on a half-closed socket it leaves a handle that hangs Node's exit.)
    const closeOnError = (from: Socket, to: Socket): void => {
      from.on('error', () => to.destroy());
    };
    closeOnError(downstream, upstream);
    closeOnError(upstream, downstream);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.listen.port;
  return {
    port,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
