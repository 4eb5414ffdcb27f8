import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStraitError } from '../errors/strait-error.js';
import { parseUniversal, toUniversal } from '../model/codec.js';
import { createRegistry } from '../model/registry.js';
import type { Resource } from '../model/resource.js';
import { invalidExamples, validExamples } from '../testing/index.js';
import { builtinDescriptors, builtinRegistry } from './index.js';

const TIMES = { creationTime: '2024-05-01T12:00:00Z', modificationTime: '2024-05-01T12:00:00Z' };

function countBy(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

describe('valid examples', () => {
  const examples = validExamples();

  it('cover every built-in type', () => {
    const counts = countBy(examples.map((e) => e.type));
    for (const d of builtinDescriptors) assert.ok((counts.get(d.name) ?? 0) >= 1, `no valid example of ${d.name}`);
  });

  for (const [i, { type, object }] of examples.entries()) {
    it(`${type} #${i} (${String(object.name)}) parses and renders back unchanged`, () => {
      const input = parseUniversal(builtinRegistry, object);
      const d = builtinRegistry.require(type);
      const resource: Resource = {
        type: input.type,
        meta: {
          name: input.name,
          ...(input.mesh === undefined ? {} : { mesh: input.mesh }),
          labels: input.labels ?? {},
          version: 1,
          ...TIMES,
        },
        spec: input.spec,
        ...(input.status === undefined ? {} : { status: input.status }),
      };
      const { creationTime: _c, modificationTime: _m, ...rendered } = toUniversal(d, resource);
      assert.deepEqual(rendered, { ...object, labels: object.labels ?? {} });
    });
  }
});

describe('invalid examples', () => {
  const examples = invalidExamples();

  it('cover every built-in type at least twice', () => {
    const counts = countBy(examples.map((e) => String(e.object.type)));
    for (const d of builtinDescriptors) {
      assert.ok((counts.get(d.name) ?? 0) >= 2, `fewer than two invalid examples of ${d.name}`);
    }
  });

  for (const { description, object, field } of examples) {
    it(`${String(object.type)}: ${description} → ${field}`, () => {
      assert.throws(
        () => parseUniversal(builtinRegistry, object),
        (err: unknown) => {
          assert.ok(isStraitError(err, 'Invalid'), `expected an Invalid StraitError, got ${String(err)}`);
          const fields = err.violations.map((v) => v.field);
          assert.ok(fields.includes(field), `violations ${JSON.stringify(err.violations)} do not name ${field}`);
          for (const v of err.violations) assert.ok(v.reason.length > 0, `empty reason for ${v.field}`);
          return true;
        },
      );
    });
  }
});

describe('registry', () => {
  it('has 22 built-in types with unique names, plurals and aliases', () => {
    assert.equal(builtinDescriptors.length, 22);
    const names = builtinDescriptors.flatMap((d) => [d.name, d.plural, ...d.aliases].map((n) => n.toLowerCase()));
    const claims = new Map<string, string>();
    for (const d of builtinDescriptors) {
      for (const n of new Set([d.name, d.plural, ...d.aliases].map((x) => x.toLowerCase()))) {
        const other = claims.get(n);
        assert.ok(other === undefined || other === d.name, `${n} is claimed by ${other} and ${d.name}`);
        claims.set(n, d.name);
      }
    }
    assert.ok(names.length > 0);
    assert.doesNotThrow(() => createRegistry(builtinDescriptors));
  });

  it('resolves plurals and CLI aliases', () => {
    assert.equal(builtinRegistry.byPlural('meshtrafficpermissions')?.name, 'MeshTrafficPermission');
    assert.equal(builtinRegistry.resolve('mtp')?.name, 'MeshTrafficPermission');
    assert.equal(builtinRegistry.resolve('dp')?.name, 'Dataplane');
    assert.equal(builtinRegistry.byPlural('zoneingresses')?.name, 'ZoneIngress');
    assert.equal(builtinRegistry.byPlural('zoneingress-insights')?.name, 'ZoneIngressInsight');
    assert.equal(builtinRegistry.byPlural('global-secrets')?.name, 'GlobalSecret');
    assert.equal(builtinRegistry.resolve('MeshLoadBalancingStrategies')?.name, 'MeshLoadBalancingStrategy');
  });

  it('describes each type consistently', () => {
    for (const d of builtinDescriptors) {
      assert.ok(d.description.length > 0, d.name);
      assert.ok(
        d.aliases.includes(d.name.toLowerCase()) || d.plural === d.name.toLowerCase(),
        `${d.name} lacks its lower-case singular`,
      );
      if (d.isPolicy) {
        assert.equal(d.scope, 'mesh', d.name);
        assert.equal(d.specLayout, 'nested', d.name);
        assert.equal(d.kds, 'both', d.name);
        assert.ok(d.name.startsWith('Mesh'), d.name);
      } else {
        assert.equal(d.specLayout, 'inline', d.name);
      }
      assert.equal(d.systemOnly, d.name.endsWith('Insight'), d.name);
    }
    const kds = Object.fromEntries(builtinDescriptors.filter((d) => !d.isPolicy).map((d) => [d.name, d.kds]));
    assert.deepEqual(kds, {
      Mesh: 'global-to-zone',
      Dataplane: 'zone-to-global',
      ZoneIngress: 'zone-to-global',
      Zone: 'none',
      Secret: 'global-to-zone',
      GlobalSecret: 'global-to-zone',
      DataplaneInsight: 'zone-to-global',
      ZoneInsight: 'none',
      ZoneIngressInsight: 'zone-to-global',
    });
  });
});

describe('schemas', () => {
  type Json = Record<string, unknown>;
  const problems = (schema: unknown, at: string, out: string[]): void => {
    if (Array.isArray(schema)) {
      schema.forEach((s, i) => {
        problems(s, `${at}[${i}]`, out);
      });
      return;
    }
    if (typeof schema !== 'object' || schema === null) return;
    const s = schema as Json;
    if (s.type === 'object' && s.patternProperties === undefined && s.additionalProperties !== false) {
      out.push(`${at}: object without additionalProperties: false`);
    }
    if (s.properties !== undefined) {
      for (const [k, sub] of Object.entries(s.properties as Json)) {
        if (typeof (sub as Json).description !== 'string') out.push(`${at}.${k}: no description`);
      }
    }
    for (const [k, v] of Object.entries(s)) problems(v, `${at}.${k}`, out);
  };

  for (const d of builtinDescriptors) {
    it(`${d.name}: a JSON schema with closed, described objects`, () => {
      const json = JSON.parse(JSON.stringify(d.specSchema)) as Json;
      assert.equal(json.type, 'object');
      const out: string[] = [];
      problems(json, d.name, out);
      if (d.statusSchema !== undefined) problems(JSON.parse(JSON.stringify(d.statusSchema)), `${d.name}.status`, out);
      assert.deepEqual(out, []);
    });
  }
});
