/**
 * Prometheus counters of KDS traffic, kept in the process registry that every diagnostics
 * server serves on `/metrics`. They count what travels, not what is written: a resource the
 * receiver already held still counts as received. `direction` is the stream's flow
 * (`global-to-zone` or `zone-to-global`), `type` the resource type, `op` `upsert` for a resource
 * carried in `resources` and `remove` for a name in `removed_resources`.
 */

import { Counter } from 'prom-client';
import { processMetrics } from '../diagnostics/process-metrics.js';
import type { KdsFlowDirection } from './kds-flow.js';

const resourcesSent = new Counter({
  name: 'strait_kds_resources_sent_total',
  help: 'Resources (op=upsert) and removals (op=remove) this process wrote in KDS responses.',
  labelNames: ['direction', 'type', 'op'] as const,
  registers: [processMetrics],
});

const resourcesReceived = new Counter({
  name: 'strait_kds_resources_received_total',
  help: 'Resources (op=upsert) and removals (op=remove) that arrived in KDS responses, applied or not.',
  labelNames: ['direction', 'type', 'op'] as const,
  registers: [processMetrics],
});

const streamsStalled = new Counter({
  name: 'strait_kds_streams_stalled_total',
  help: 'KDS streams this process closed because the peer went silent or stopped reading.',
  labelNames: ['direction'] as const,
  registers: [processMetrics],
});

/** Counts one response written by a sender. */
export function countKdsSent(direction: KdsFlowDirection, type: string, resources: number, removed: number): void {
  if (resources > 0) resourcesSent.inc({ direction, type, op: 'upsert' }, resources);
  if (removed > 0) resourcesSent.inc({ direction, type, op: 'remove' }, removed);
}

/** Counts one response that reached a receiver (of a type its flow knows: labels stay bounded). */
export function countKdsReceived(direction: KdsFlowDirection, type: string, resources: number, removed: number): void {
  if (resources > 0) resourcesReceived.inc({ direction, type, op: 'upsert' }, resources);
  if (removed > 0) resourcesReceived.inc({ direction, type, op: 'remove' }, removed);
}

/** Counts one stream closed as stalled. */
export function countKdsStall(direction: KdsFlowDirection): void {
  streamsStalled.inc({ direction });
}
