import { Registry } from 'prom-client';

/**
 * The registry where long-running components of this process (KDS sessions, …) keep their
 * counters. Every diagnostics server serves it on `/metrics` next to its own registry, so a
 * component counts without being handed the server it will be scraped from.
 */
export const processMetrics = new Registry();
