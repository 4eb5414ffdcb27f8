import type { FastifyInstance } from 'fastify';
import { computeGlobalInsight, type GlobalInsightSources } from '../global-insight/compute-global-insight.js';

/** Registers `/global-insight`. */
export function registerGlobalInsightRoute(app: FastifyInstance, sources: GlobalInsightSources): void {
  app.get('/global-insight', { config: { strait: { errorTitle: 'Could not retrieve global insight' } } }, () =>
    computeGlobalInsight(sources),
  );
}
