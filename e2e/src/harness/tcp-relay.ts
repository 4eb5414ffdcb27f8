import { createServer, type Server, Socket } from 'node:net';

/** Which way a relay carries bytes: from the dialing client to the target, or back. */
export type RelayDirection = 'toTarget' | 'toClient';

/** A loopback TCP relay between clients and one target, with faults tests can switch on. */
export interface TcpRelay {
  /** Port clients dial instead of the target's. */
  readonly port: number;
  /** Bytes relayed so far, per direction. */
  readonly bytes: Readonly<Record<RelayDirection, number>>;
  /** Connections accepted and relayed so far (refused ones not counted). */
  readonly connections: number;
  /** Drops every live connection (RST) and refuses new ones until {@link heal}. */
  partition(): void;
  /** Accepts and relays new connections again. */
  heal(): void;
  /**
   * Stops reading in `direction` on every live connection, keeping the sockets open: the bytes
   * stay in the kernel buffers, as when a peer stops reading. New connections relay normally.
   */
  stall(direction: RelayDirection): void;
  close(): Promise<void>;
}

/** One relayed connection: the client's socket and ours to the target. */
interface Pair {
  readonly client: Socket;
  readonly target: Socket;
}

/** Starts a relay on a free loopback port, forwarding to `127.0.0.1:targetPort`. */
export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  const live = new Set<Pair>();
  const bytes: Record<RelayDirection, number> = { toTarget: 0, toClient: 0 };
  let partitioned = false;
  let connections = 0;
  /** Sockets a test stalled: never resumed. */
  const stalledReaders = new WeakSet<Socket>();

  const pipe = (from: Socket, to: Socket, direction: RelayDirection) => {
    from.on('data', (chunk: Buffer) => {
      bytes[direction] += chunk.byteLength;
      // Honour backpressure, so a stalled reader upstream stalls the writer too.
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => {
          if (!stalledReaders.has(from)) from.resume();
        });
      }
    });
  };

  const server: Server = createServer((client) => {
    if (partitioned) {
      client.resetAndDestroy();
      return;
    }
    connections += 1;
    const target = new Socket();
    const pair: Pair = { client, target };
    live.add(pair);
    const end = () => {
      live.delete(pair);
      client.destroy();
      target.destroy();
    };
    client.on('error', end).on('close', end);
    target.on('error', end).on('close', end);
    pipe(client, target, 'toTarget');
    pipe(target, client, 'toClient');
    target.connect(targetPort, '127.0.0.1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    port,
    bytes,
    get connections() {
      return connections;
    },
    partition() {
      partitioned = true;
      for (const { client, target } of live) {
        client.resetAndDestroy();
        target.resetAndDestroy();
      }
      live.clear();
    },
    heal() {
      partitioned = false;
    },
    stall(direction) {
      for (const pair of live) {
        const reader = direction === 'toTarget' ? pair.client : pair.target;
        stalledReaders.add(reader);
        reader.pause();
      }
    },
    close() {
      for (const { client, target } of live) {
        client.destroy();
        target.destroy();
      }
      live.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
