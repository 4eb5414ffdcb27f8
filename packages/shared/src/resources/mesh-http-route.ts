/** MeshHTTPRoute: HTTP routing for outbound traffic: matches, filters and weighted backends. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { isIpAddress } from './common/address.js';
import { BackendRefSchema } from './common/backend-ref.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import {
  HeaderMatchSchema,
  HeaderModifierSchema,
  validateHeaderMatches,
  validateHeaderModifier,
} from './common/headers.js';
import { TOP_LEVEL_KINDS, validateTopRef } from './common/policy.js';
import { topTargetRef } from './common/policy-schema.js';
import { closed, enumOf, percent, port, stringList } from './common/schema.js';
import {
  type TargetRef,
  type TargetRefKind,
  TargetRefSchema,
  topLevelRef,
  validateTargetRef,
} from './common/target-ref.js';

const HOSTNAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const preciseHostname = (description: string) =>
  Type.String({ minLength: 1, maxLength: 253, pattern: HOSTNAME_PATTERN, description });

const PathModifierSchema = closed(
  {
    type: enumOf(['ReplaceFullPath', 'ReplacePrefixMatch'], 'How the path is rewritten.'),
    replaceFullPath: Type.Optional(Type.String({ description: 'New path (ReplaceFullPath).' })),
    replacePrefixMatch: Type.Optional(
      Type.String({ description: 'Replacement of the matched prefix (ReplacePrefixMatch).' }),
    ),
  },
  'A path rewrite.',
);
type PathModifier = Static<typeof PathModifierSchema>;

const MatchSchema = closed(
  {
    path: Type.Optional(
      closed(
        {
          type: enumOf(['Exact', 'PathPrefix', 'RegularExpression'], 'How the path is compared.'),
          value: Type.String({ minLength: 1, description: 'The path, prefix or regular expression.' }),
        },
        'Matches the request path.',
      ),
    ),
    method: Type.Optional(
      enumOf(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'], 'Matches the method.'),
    ),
    queryParams: Type.Optional(
      Type.Array(
        closed(
          {
            type: enumOf(['Exact', 'RegularExpression'], 'How the value is compared.'),
            name: Type.String({ minLength: 1, description: 'Parameter name.' }),
            value: Type.String({ description: 'Value or regular expression.' }),
          },
          'Matches a query parameter.',
        ),
        { description: 'Query parameters that must all match.' },
      ),
    ),
    headers: Type.Optional(Type.Array(HeaderMatchSchema, { description: 'Headers that must all match.' })),
  },
  'A request matcher; all its conditions must hold.',
);
type Match = Static<typeof MatchSchema>;

const FilterSchema = closed(
  {
    type: enumOf(
      ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror'],
      'The filter; its settings go in the field of the same name.',
    ),
    requestHeaderModifier: Type.Optional(HeaderModifierSchema),
    responseHeaderModifier: Type.Optional(HeaderModifierSchema),
    requestRedirect: Type.Optional(
      closed(
        {
          scheme: Type.Optional(enumOf(['http', 'https'], 'Scheme of the redirect.')),
          hostname: Type.Optional(preciseHostname('Host of the redirect.')),
          path: Type.Optional(PathModifierSchema),
          port: Type.Optional(port('Port of the redirect.')),
          statusCode: Type.Optional(
            Type.Union(
              [301, 302, 303, 307, 308].map((c) => Type.Literal(c)),
              {
                description: 'Redirect status; 302 when unset.',
              },
            ),
          ),
        },
        'Answers with a redirect.',
      ),
    ),
    urlRewrite: Type.Optional(
      closed(
        {
          hostname: Type.Optional(preciseHostname('New Host header.')),
          path: Type.Optional(PathModifierSchema),
          hostToBackendHostname: Type.Optional(
            Type.Boolean({ description: 'Set Host to the backend hostname (MeshGateway only).' }),
          ),
        },
        'Rewrites the request URL.',
      ),
    ),
    requestMirror: Type.Optional(
      closed(
        {
          backendRef: BackendRefSchema,
          percentage: Type.Optional(percent('Share of requests mirrored; all when unset.')),
        },
        'Mirrors requests to another backend.',
      ),
    ),
  },
  'A request or response filter.',
);
type Filter = Static<typeof FilterSchema>;

const RuleSchema = closed(
  {
    matches: Type.Array(MatchSchema, { minItems: 1, description: 'The rule applies when any matcher matches.' }),
    default: closed(
      {
        filters: Type.Optional(Type.Array(FilterSchema, { description: 'Filters applied in order.' })),
        backendRefs: Type.Optional(Type.Array(BackendRefSchema, { description: 'Weighted backends.' })),
      },
      'What to do with matching requests.',
    ),
  },
  'A routing rule.',
);
type Rule = Static<typeof RuleSchema>;

/** Spec of a MeshHTTPRoute. */
export const MeshHTTPRouteSpecSchema = closed(
  {
    targetRef: topTargetRef(),
    to: Type.Optional(
      Type.Array(
        closed(
          {
            targetRef: TargetRefSchema,
            hostnames: Type.Optional(stringList('Hostnames the route applies to (MeshGateway only).')),
            rules: Type.Array(RuleSchema, { description: 'Routing rules.' }),
          },
          'Routes for traffic to the destination the targetRef selects.',
        ),
        { description: 'Routes per destination.' },
      ),
    ),
  },
  'MeshHTTPRoute specification.',
);
export type MeshHTTPRouteSpec = Static<typeof MeshHTTPRouteSpecSchema>;

const TO_KINDS: readonly TargetRefKind[] = ['MeshService', 'MeshExternalService', 'MeshMultiZoneService'];
const BACKEND_KINDS: readonly TargetRefKind[] = [
  'MeshService',
  'MeshServiceSubset',
  'MeshExternalService',
  'MeshMultiZoneService',
];
const FILTER_FIELD: Readonly<Record<Filter['type'], keyof Filter>> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  RequestMirror: 'requestMirror',
};

function validateMatches(matches: readonly Match[], at: string): Violation[] {
  const out: Violation[] = [];
  matches.forEach((m, i) => {
    const p = m.path;
    const valueAt = field(at, i, 'path', 'value');
    if (p !== undefined && p.type !== 'RegularExpression' && !p.value.startsWith('/')) {
      out.push({ field: valueAt, reason: 'must be an absolute path' });
    } else if (p?.type === 'PathPrefix' && p.value !== '/' && p.value.endsWith('/')) {
      out.push({ field: valueAt, reason: 'must not end with a slash' });
    }
    const names = new Set<string>();
    (m.queryParams ?? []).forEach((q, j) => {
      if (names.has(q.name)) out.push({ field: field(at, i, 'queryParams', j, 'name'), reason: 'is matched twice' });
      names.add(q.name);
    });
    out.push(...validateHeaderMatches(m.headers, field(at, i, 'headers')));
  });
  return out;
}

function validatePathModifier(path: PathModifier | undefined, matches: readonly Match[], at: string): Violation[] {
  if (path === undefined) return [];
  if (path.type === 'ReplaceFullPath' && path.replaceFullPath === undefined) {
    return [{ field: field(at, 'replaceFullPath'), reason: 'must be set with type ReplaceFullPath' }];
  }
  if (path.type === 'ReplacePrefixMatch') {
    if (path.replacePrefixMatch === undefined) {
      return [{ field: field(at, 'replacePrefixMatch'), reason: 'must be set with type ReplacePrefixMatch' }];
    }
    if (matches.some((m) => m.path?.type !== 'PathPrefix')) {
      return [{ field: field(at, 'replacePrefixMatch'), reason: 'requires every match to be a PathPrefix match' }];
    }
  }
  return [];
}

function validateFilters(rule: Rule, at: string, top: TargetRef): Violation[] {
  const out: Violation[] = [];
  (rule.default.filters ?? []).forEach((f, i) => {
    const fAt = field(at, i);
    const sub = FILTER_FIELD[f.type];
    if (f[sub] === undefined) {
      out.push({ field: field(fAt, sub), reason: `must be set with type ${f.type}` });
      return;
    }
    if (f.type === 'RequestHeaderModifier' && f.requestHeaderModifier !== undefined) {
      out.push(...validateHeaderModifier(f.requestHeaderModifier, field(fAt, 'requestHeaderModifier')));
    }
    if (f.type === 'ResponseHeaderModifier' && f.responseHeaderModifier !== undefined) {
      out.push(...validateHeaderModifier(f.responseHeaderModifier, field(fAt, 'responseHeaderModifier')));
    }
    for (const kind of ['requestRedirect', 'urlRewrite'] as const) {
      const r = f[kind];
      if (r === undefined) continue;
      out.push(...validatePathModifier(r.path, rule.matches, field(fAt, kind, 'path')));
      if (r.hostname !== undefined && isIpAddress(r.hostname)) {
        out.push({ field: field(fAt, kind, 'hostname'), reason: 'must be a hostname, not an IP address' });
      }
    }
    const rewrite = f.urlRewrite;
    if (rewrite?.hostToBackendHostname === true) {
      const hAt = field(fAt, 'urlRewrite', 'hostToBackendHostname');
      if (top.kind !== 'MeshGateway') out.push({ field: hAt, reason: 'can only be set with a MeshGateway' });
      if (rewrite.hostname !== undefined) out.push({ field: hAt, reason: 'must not be set together with hostname' });
    }
    if (f.requestMirror !== undefined) {
      out.push(
        ...validateTargetRef(f.requestMirror.backendRef, field(fAt, 'requestMirror', 'backendRef'), [
          'MeshService',
          'MeshServiceSubset',
        ]),
      );
    }
  });
  return out;
}

function validate(spec: MeshHTTPRouteSpec): Violation[] {
  const top = topLevelRef(spec.targetRef);
  const gateway = top.kind === 'MeshGateway';
  const out = [
    ...runChecks(MeshHTTPRouteSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_LEVEL_KINDS, spec),
  ];
  (spec.to ?? []).forEach((to, i) => {
    const toAt = field('spec', 'to', i);
    out.push(...validateTargetRef(to.targetRef, field(toAt, 'targetRef'), gateway ? ['Mesh'] : TO_KINDS));
    if (!gateway && (to.hostnames ?? []).length > 0) {
      out.push({ field: field(toAt, 'hostnames'), reason: 'can only be set with a MeshGateway' });
    }
    to.rules.forEach((rule, j) => {
      const rAt = field(toAt, 'rules', j);
      out.push(...validateMatches(rule.matches, field(rAt, 'matches')));
      out.push(...validateFilters(rule, field(rAt, 'default', 'filters'), top));
      const backends = rule.default.backendRefs ?? [];
      const redirects = (rule.default.filters ?? []).some((f) => f.type === 'RequestRedirect');
      if (gateway && backends.length === 0 && !redirects) {
        out.push({ field: field(rAt, 'default', 'backendRefs'), reason: 'must not be empty for a MeshGateway route' });
      }
      backends.forEach((b, k) => {
        out.push(...validateTargetRef(b, field(rAt, 'default', 'backendRefs', k), BACKEND_KINDS));
      });
    });
  });
  return out;
}

/** The MeshHTTPRoute policy type. */
export const meshHTTPRouteDescriptor: ResourceDescriptor<typeof MeshHTTPRouteSpecSchema> = Object.freeze({
  name: 'MeshHTTPRoute',
  plural: 'meshhttproutes',
  aliases: ['meshhttproute', 'mhttpr'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshHTTPRouteSpecSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Routes outbound HTTP requests by path, method, headers and query, with filters and weighted backends.',
});
