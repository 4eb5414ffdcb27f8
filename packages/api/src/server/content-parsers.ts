import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { invalidInput } from '../errors/http-errors.js';

/** YAML media types accepted on PUT (kumactl and curl users send all three). */
export const YAML_CONTENT_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'] as const;

/** Adds YAML body parsing next to fastify's JSON parser; a malformed document is 400. */
export function registerContentParsers(app: FastifyInstance): void {
  app.addContentTypeParser([...YAML_CONTENT_TYPES], { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseYaml(body as string, { uniqueKeys: true }));
    } catch (err) {
      done(invalidInput('body', [{ field: '(body)', reason: `invalid YAML: ${(err as Error).message}` }]), undefined);
    }
  });
}
