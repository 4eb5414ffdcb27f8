/** Schemas every Strait OpenAPI document carries, in the shapes of Kuma's OpenAPI. */

type Schema = Record<string, unknown>;

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;

const fullStatus: Schema = {
  type: 'object',
  required: ['total', 'online', 'offline', 'partiallyDegraded'],
  properties: { total: int, online: int, offline: int, partiallyDegraded: int },
};
const baseStatus: Schema = { type: 'object', required: ['total', 'online'], properties: { total: int, online: int } };

export const COMMON_SCHEMAS: Readonly<Record<string, Schema>> = {
  Index: {
    type: 'object',
    required: ['hostname', 'product', 'version', 'instanceId', 'clusterId', 'gui'],
    properties: {
      hostname: str,
      product: str,
      tagline: str,
      version: str,
      instanceId: str,
      clusterId: str,
      gui: str,
      basedOnKuma: str,
    },
  },
  InvalidParameters: {
    type: 'object',
    required: ['field', 'reason', 'source'],
    properties: { field: str, reason: str, source: { type: 'string', enum: ['body', 'query', 'header', 'path'] } },
  },
  Error: {
    type: 'object',
    required: ['type', 'status', 'title', 'detail', 'instance'],
    properties: {
      type: str,
      status: int,
      title: str,
      detail: str,
      instance: str,
      invalid_parameters: { type: 'array', items: { $ref: '#/components/schemas/InvalidParameters' } },
    },
  },
  ResourceTypeDescriptionList: {
    type: 'object',
    required: ['resources'],
    properties: {
      resources: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'scope', 'readOnly', 'path', 'singularDisplayName', 'pluralDisplayName', 'shortName'],
          properties: {
            name: str,
            scope: { type: 'string', enum: ['Global', 'Mesh'] },
            readOnly: { type: 'boolean' },
            path: str,
            singularDisplayName: str,
            pluralDisplayName: str,
            shortName: str,
            includeInFederation: { type: 'boolean' },
            policy: { type: 'object' },
          },
        },
      },
    },
  },
  GlobalInsight: {
    type: 'object',
    required: ['createdAt', 'services', 'zones', 'dataplanes', 'policies', 'meshes', 'resources'],
    properties: {
      createdAt: { type: 'string', format: 'date-time' },
      services: {
        type: 'object',
        properties: {
          total: int,
          internal: fullStatus,
          external: { type: 'object', properties: { total: int } },
          gatewayBuiltin: fullStatus,
          gatewayDelegated: fullStatus,
        },
      },
      zones: {
        type: 'object',
        properties: { controlPlanes: baseStatus, zoneEgresses: baseStatus, zoneIngresses: baseStatus },
      },
      dataplanes: {
        type: 'object',
        properties: { standard: fullStatus, gatewayBuiltin: fullStatus, gatewayDelegated: fullStatus },
      },
      policies: { type: 'object', properties: { total: int } },
      meshes: { type: 'object', properties: { total: int } },
      resources: { type: 'object', additionalProperties: { type: 'object', properties: { total: int } } },
    },
  },
};
