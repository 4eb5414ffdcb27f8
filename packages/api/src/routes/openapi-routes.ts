import type { FastifyInstance } from 'fastify';
import { stringify as toYaml } from 'yaml';

/**
 * Registers `/openapi.json` and `/openapi.yaml` (public). The JSON text is rendered at
 * start-up; the YAML text (slow to render, rarely asked for) on first request, then kept.
 */
export function registerOpenApiRoutes(app: FastifyInstance, document: Record<string, unknown>): void {
  const jsonText = JSON.stringify(document);
  let yamlText: string | undefined;
  const config = { config: { strait: { public: true } } };
  app.get('/openapi.json', config, async (_request, reply) => reply.type('application/json').send(jsonText));
  app.get('/openapi.yaml', config, async (_request, reply) => {
    yamlText ??= toYaml(document, { aliasDuplicateObjects: false });
    return reply.type('application/yaml').send(yamlText);
  });
}
