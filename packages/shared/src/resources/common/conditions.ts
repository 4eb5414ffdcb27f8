/** The `status.conditions` block Kuma's observability policies carry. */
import { Type } from '@sinclair/typebox';
import { closed, enumOf } from './schema.js';

/** One condition, as in Kubernetes API conventions. */
export const ConditionSchema = closed(
  {
    type: Type.String({ maxLength: 316, description: 'Condition type, e.g. BackendsResolved.' }),
    status: enumOf(['True', 'False', 'Unknown'], 'Whether the condition holds.'),
    reason: Type.String({ minLength: 1, maxLength: 1024, description: 'Machine-readable reason in CamelCase.' }),
    message: Type.String({ maxLength: 32768, description: 'Human-readable details.' }),
  },
  'A condition of the resource.',
);

/** A status that only holds conditions. */
export const ConditionsStatusSchema = closed(
  { conditions: Type.Optional(Type.Array(ConditionSchema, { description: 'Conditions of the resource.' })) },
  'Status computed by the control plane.',
);
