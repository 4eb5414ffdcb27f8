/**
 * Golden tests: each context of the table, generated and rendered as Envoy's JSON, must equal
 * its file in testdata/. `UPDATE_GOLDEN=1` rewrites the files (review the diff).
 */

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type DescMessage, type MessageShape, toJson } from '@bufbuild/protobuf';
import {
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  envoyRegistry,
  ListenerSchema,
  RouteConfigurationSchema,
  SecretSchema,
} from '@strait/proto/envoy';
import { generateProxyResources, type ProxyResources } from './generate-proxy.js';
import { GOLDEN_CONTEXTS } from './test-contexts.js';

function render<Desc extends DescMessage>(schema: Desc, messages: readonly MessageShape<Desc>[]) {
  return messages.map((m) => toJson(schema, m, { registry: envoyRegistry }));
}

/** The resources as Envoy's JSON (what `config_dump` would show), one key per xDS type. */
function renderResources(resources: ProxyResources): string {
  const json = {
    listeners: render(ListenerSchema, resources.listeners),
    clusters: render(ClusterSchema, resources.clusters),
    endpoints: render(ClusterLoadAssignmentSchema, resources.endpoints),
    routes: render(RouteConfigurationSchema, resources.routes),
    secrets: render(SecretSchema, resources.secrets),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const update = process.env.UPDATE_GOLDEN === '1';

describe('generateProxyResources golden files', () => {
  for (const [name, ctx] of GOLDEN_CONTEXTS) {
    it(name, () => {
      const file = new URL(`./testdata/${name}.golden.json`, import.meta.url);
      const actual = renderResources(generateProxyResources(ctx));
      if (update) writeFileSync(file, actual);
      assert.equal(
        actual,
        readFileSync(file, 'utf8'),
        `${name} differs from its golden file; UPDATE_GOLDEN=1 rewrites it`,
      );
    });
  }

  it('is deterministic: generating twice gives identical bytes', () => {
    for (const ctx of GOLDEN_CONTEXTS.values()) {
      assert.equal(renderResources(generateProxyResources(ctx)), renderResources(generateProxyResources(ctx)));
    }
  });
});
