/**
 * The fan-out phase of kds-fanout: one MeshTrafficPermission on the global, rewritten once per
 * round, and the time until each zone's store holds that round's version. Each zone's store is
 * watched through its change events (synchronous, in the bench process), so a sample is the time
 * from the start of the PUT on the global to the zone's store commit of the new version.
 */

import type { RestClient } from '../../harness/rest-client.js';
import { waitFor } from '../../harness/wait-for.js';
import type { BenchZone } from '../../kds/bench-zone.js';
import { type Distribution, summarize } from '../../report/stats.js';

export const MESH = 'default';
/** The policy the rounds rewrite. */
export const FANOUT_POLICY = 'bench-fanout';
/** Label carrying the round number: it tells a zone's copy of one round from another's. */
const ROUND_LABEL = 'bench.strait.io/round';
/** Zones copy a policy under a hashed name and keep its name in this label. */
const DISPLAY_NAME_LABEL = 'kuma.io/display-name';

/** The policy of round `round`: its label and its spec (one `from` entry naming the round) change. */
function policyOfRound(round: number) {
  return {
    type: 'MeshTrafficPermission',
    mesh: MESH,
    name: FANOUT_POLICY,
    labels: { [ROUND_LABEL]: String(round) },
    spec: {
      targetRef: { kind: 'Mesh' },
      from: [
        {
          targetRef: { kind: 'MeshSubset', tags: { 'kuma.io/service': `bench-round-${round}` } },
          default: { action: 'Allow' },
        },
      ],
    },
  };
}

/** Options of {@link runPolicyRounds}. */
export interface PolicyRoundsOptions {
  readonly rest: RestClient;
  readonly zones: readonly BenchZone[];
  /** Measured rounds (one unmeasured warm-up round, which creates the policy, comes first). */
  readonly rounds: number;
  /** Pause between rounds; default 100 ms. */
  readonly pauseMs?: number;
  /** Deadline of one round; default 30 s. */
  readonly roundTimeoutMs?: number;
  readonly say: (line: string) => void;
}

/** Figures of the measured rounds. Times in ms. */
export interface PolicyRoundsResult {
  readonly rounds: number;
  /** Every zone × round: PUT start → the zone stored that round's version. */
  readonly perZoneMs: Distribution | undefined;
  /** Per round: PUT start → the last zone stored it ("every zone has it"). */
  readonly allZonesMs: Distribution | undefined;
  /** Per round: the PUT's own duration. */
  readonly putMs: Distribution | undefined;
  /** Zone × round samples that never arrived within the round's deadline. */
  readonly missing: number;
}

/** Runs the warm-up round and `rounds` measured rounds, one after the other. */
export async function runPolicyRounds(options: PolicyRoundsOptions): Promise<PolicyRoundsResult> {
  const { zones } = options;
  let armed = -1;
  const arrivedAt: (number | undefined)[] = zones.map(() => undefined);
  const stops = zones.map((zone, i) =>
    zone.store.subscribe((event) => {
      const labels = event.resource.meta.labels;
      if (
        event.op !== 'delete' &&
        event.resource.type === 'MeshTrafficPermission' &&
        labels[DISPLAY_NAME_LABEL] === FANOUT_POLICY &&
        labels[ROUND_LABEL] === String(armed) &&
        arrivedAt[i] === undefined
      ) {
        arrivedAt[i] = performance.now();
      }
    }),
  );
  const perZone: number[] = [];
  const allZones: number[] = [];
  const puts: number[] = [];
  let missing = 0;
  try {
    for (let round = 0; round <= options.rounds; round += 1) {
      arrivedAt.fill(undefined);
      armed = round;
      const startedAt = performance.now();
      await options.rest.put(`/meshes/${MESH}/meshtrafficpermissions/${FANOUT_POLICY}`, policyOfRound(round));
      const putMs = performance.now() - startedAt;
      const complete = await waitFor(() => arrivedAt.every((t) => t !== undefined), {
        timeoutMs: options.roundTimeoutMs ?? 30_000,
        intervalMs: 5,
        what: `every zone to store round ${round} of ${FANOUT_POLICY}`,
      }).catch((err: unknown) => {
        options.say((err as Error).message);
        return false;
      });
      if (round > 0) {
        puts.push(putMs);
        const samples = arrivedAt.flatMap((t) => (t === undefined ? [] : [t - startedAt]));
        perZone.push(...samples);
        missing += zones.length - samples.length;
        if (complete) allZones.push(Math.max(...samples));
      }
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 100));
    }
  } finally {
    for (const stop of stops) stop();
  }
  return {
    rounds: options.rounds,
    perZoneMs: summarize(perZone),
    allZonesMs: summarize(allZones),
    putMs: summarize(puts),
    missing,
  };
}
