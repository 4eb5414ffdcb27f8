/**
 * Builds the OpenAPI 3.1 document of the API from the registry: one `<Type>Item` schema per
 * type, from the same TypeBox schema that gives the TS type and the validator.
 */
import type { ResourceDescriptor, ResourceRegistry } from '@strait/shared';
import type { OverviewPair } from '../overview/overview-pairs.js';
import { COMMON_SCHEMAS } from './common-schemas.js';
import { itemSchema } from './resource-schemas.js';

type Json = Record<string, unknown>;

/** Inputs of {@link buildOpenApi}. */
export interface OpenApiInputs {
  readonly registry: ResourceRegistry;
  readonly pairs: readonly OverviewPair[];
  readonly version: string;
  /** Types whose writes this control plane refuses (documented as 405). */
  readonly isReadOnly: (d: ResourceDescriptor) => boolean;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: ref('Error') } },
});
const json = (description: string, schema: Json): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const pathParam = (name: string, description: string): Json => ({
  in: 'path',
  name,
  required: true,
  schema: { type: 'string' },
  description,
});

const LIST_PARAMS: readonly Json[] = [
  {
    in: 'query',
    name: 'offset',
    required: false,
    schema: { type: 'integer', minimum: 0 },
    description: 'offset in the list',
  },
  {
    in: 'query',
    name: 'size',
    required: false,
    schema: { type: 'integer', default: 100, minimum: 1, maximum: 1000 },
    description: 'the number of items per page',
  },
  { in: 'query', name: 'name', required: false, schema: { type: 'string' }, description: 'only names containing this' },
  {
    in: 'query',
    name: 'filter',
    required: false,
    style: 'deepObject',
    explode: true,
    schema: { type: 'object', additionalProperties: { type: 'string' } },
    description: 'label filters, ANDed: filter[labels.KEY]=VALUE',
    example: { 'labels.kuma.io/zone': 'zone-1' },
  },
];

const listOf = (items: Json): Json => ({
  type: 'object',
  required: ['total', 'items', 'next'],
  properties: {
    total: { type: 'integer' },
    items: { type: 'array', items },
    next: { type: ['string', 'null'], description: 'absolute URL of the next page, null on the last' },
  },
});

function resourcePaths(d: ResourceDescriptor, readOnly: boolean): Record<string, Json> {
  const base = d.scope === 'mesh' ? `/meshes/{mesh}/${d.plural}` : `/${d.plural}`;
  const meshParams = d.scope === 'mesh' ? [pathParam('mesh', 'name of the mesh')] : [];
  const itemParams = [...meshParams, pathParam('name', `name of the ${d.name}`)];
  const tags = [d.name];
  const writeResponses: Json = readOnly
    ? { '405': problem('Not allowed on this control plane') }
    : {
        '200': json('Updated', { type: 'object' }),
        '201': json('Created', { type: 'object' }),
        '400': problem('Invalid resource'),
        '409': problem('Conflict (If-Match does not match)'),
      };
  const paths: Record<string, Json> = {
    [base]: {
      get: {
        operationId: `get${d.name}List`,
        summary: `Returns a list of ${d.name}`,
        tags,
        parameters: [...meshParams, ...LIST_PARAMS],
        responses: { '200': json('List', listOf(ref(`${d.name}Item`))), '400': problem('Bad Request') },
      },
    },
    [`${base}/{name}`]: {
      get: {
        operationId: `get${d.name}`,
        summary: `Returns a ${d.name}`,
        tags,
        parameters: itemParams,
        responses: {
          '200': json('The resource (ETag header: its version)', ref(`${d.name}Item`)),
          '404': problem('Not Found'),
        },
      },
      put: {
        operationId: `put${d.name}`,
        summary: `Creates or updates a ${d.name}`,
        tags,
        parameters: itemParams,
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: ref(`${d.name}Item`) },
            'application/yaml': { schema: ref(`${d.name}Item`) },
          },
        },
        responses: writeResponses,
      },
      delete: {
        operationId: `delete${d.name}`,
        summary: `Deletes a ${d.name}`,
        tags,
        parameters: itemParams,
        responses: readOnly
          ? { '405': problem('Not allowed on this control plane') }
          : { '200': json('Deleted', { type: 'object' }), '404': problem('Not Found'), '409': problem('Conflict') },
      },
    },
  };
  if (d.scope === 'mesh') {
    paths[`/${d.plural}`] = {
      get: {
        operationId: `get${d.name}ListAcrossMeshes`,
        summary: `Returns a list of ${d.name} of every mesh`,
        tags,
        parameters: LIST_PARAMS,
        responses: { '200': json('List', listOf(ref(`${d.name}Item`))) },
      },
    };
  }
  return paths;
}

function overviewPaths(pair: OverviewPair): Record<string, Json> {
  const d = pair.resource;
  const base = d.scope === 'mesh' ? `/meshes/{mesh}/${d.plural}` : `/${d.plural}`;
  const meshParams = d.scope === 'mesh' ? [pathParam('mesh', 'name of the mesh')] : [];
  const overview: Json = { type: 'object', description: `${d.name} joined with its ${pair.insight.name}` };
  const list: Json = {
    get: {
      operationId: `get${pair.overviewType}List`,
      tags: [d.name],
      parameters: [...meshParams, ...LIST_PARAMS],
      responses: { '200': json('List', listOf(overview)) },
    },
  };
  const item: Json = {
    get: {
      operationId: `get${pair.overviewType}`,
      tags: [d.name],
      parameters: [...meshParams, pathParam('name', `name of the ${d.name}`)],
      responses: { '200': json('Overview', overview), '404': problem('Not Found') },
    },
  };
  return {
    [`${base}/_overview`]: list,
    [`${base}/{name}/_overview`]: item,
    [`${base}+insights`]: list,
    [`${base}+insights/{name}`]: item,
  };
}

/** The OpenAPI document. */
export function buildOpenApi(inputs: OpenApiInputs): Json {
  const schemas: Record<string, Json> = { ...COMMON_SCHEMAS };
  let paths: Record<string, Json> = {
    '/': { get: { operationId: 'index', security: [], responses: { '200': json('Index', ref('Index')) } } },
    '/_resources': {
      get: {
        operationId: 'getResourceTypeDescription',
        responses: { '200': json('Types', ref('ResourceTypeDescriptionList')) },
      },
    },
    '/global-insight': {
      get: { operationId: 'getGlobalInsight', responses: { '200': json('Global insight', ref('GlobalInsight')) } },
    },
  };
  for (const d of inputs.registry.all()) {
    schemas[`${d.name}Item`] = itemSchema(d);
    paths = { ...paths, ...resourcePaths(d, inputs.isReadOnly(d)) };
  }
  for (const pair of inputs.pairs) paths = { ...paths, ...overviewPaths(pair) };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Strait API',
      description: "Strait's REST API: Kuma 2.x universal-mode paths, bodies and status codes.",
      version: inputs.version,
    },
    security: [{ BearerAuth: [] }, {}],
    paths,
    components: {
      securitySchemes: { BearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas,
    },
  };
}
