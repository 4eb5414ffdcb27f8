/** A graceful Envoy shutdown: drain the listeners, wait for connections to end, SIGTERM, SIGKILL as a last resort. */
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../logging/logger.js';
import { createEnvoyAdmin, readAdminAddress } from './envoy-admin.js';
import { isRunning, waitForExit } from './envoy-process.js';
import { pollUntil } from './poll-until.js';

/** Options of {@link shutDownEnvoy}. */
export interface EnvoyShutdownOptions {
  /** Where Envoy wrote its admin address. */
  readonly adminAddressPath: string;
  /** Longest wait for connections to end after the drain started. */
  readonly drainTimeMs: number;
  /** After SIGTERM, how long to wait before SIGKILL (and again after SIGKILL). */
  readonly killTimeoutMs: number;
  readonly logger: Logger;
}

/**
 * `POST /drain_listeners?graceful` (Envoy keeps serving but discourages keep-alive for
 * `--drain-time-s`), then waits until no downstream connection is left or `drainTimeMs` passed.
 * A plain SIGTERM would skip this: Envoy closes listeners and connections at once on SIGTERM.
 */
async function drain(proc: ChildProcess, o: EnvoyShutdownOptions): Promise<void> {
  const address = await readAdminAddress(o.adminAddressPath);
  if (address === undefined) {
    o.logger.warn('envoy admin address unknown: stopping without draining');
    return;
  }
  const admin = createEnvoyAdmin(address);
  try {
    await admin.drainListeners();
  } catch (err) {
    o.logger.warn({ reason: (err as Error).message }, 'could not drain listeners');
    return;
  }
  o.logger.info({ drainTimeMs: o.drainTimeMs }, 'draining listeners');
  const idle = await pollUntil(
    async () => {
      if (!isRunning(proc)) return true;
      const active = await admin.activeConnections().catch(() => undefined);
      return active === 0 ? true : undefined;
    },
    { timeoutMs: o.drainTimeMs },
  );
  o.logger.info(idle === true ? 'no active connections left' : 'drain time over');
}

async function terminate(proc: ChildProcess, o: EnvoyShutdownOptions): Promise<void> {
  proc.kill('SIGTERM');
  if (await waitForExit(proc, o.killTimeoutMs)) return;
  o.logger.warn({ killTimeoutMs: o.killTimeoutMs }, 'envoy did not exit after SIGTERM: killing it');
  proc.kill('SIGKILL');
  await waitForExit(proc, o.killTimeoutMs);
}

/** Drains then stops a running Envoy; resolves once it exited (or was killed). */
export async function shutDownEnvoy(proc: ChildProcess, options: EnvoyShutdownOptions): Promise<void> {
  await drain(proc, options);
  await terminate(proc, options);
}
