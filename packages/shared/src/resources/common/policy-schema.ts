/**
 * Schema builders for the sections of a targetRef policy spec: `from[]` and `to[]` entries
 * (a targetRef and a `default` conf) and inbound `rules[]` (caller matches and a conf).
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { MatchSchema } from './match.js';
import { closed } from './schema.js';
import { TargetRefSchema } from './target-ref.js';

/** The optional top-level targetRef; the whole mesh when unset. */
export function topTargetRef() {
  return Type.Optional({
    ...TargetRefSchema,
    description: 'The proxies this policy configures; the whole mesh when unset.',
  });
}

/** `from[]`: configuration for incoming traffic, per caller. */
export function fromList<C extends TSchema>(conf: C) {
  return Type.Optional(
    Type.Array(
      closed(
        { targetRef: TargetRefSchema, default: conf },
        'Configuration for traffic from the callers the targetRef selects.',
      ),
      { description: 'Inbound configuration per caller (superseded by rules in Kuma 2.10+).' },
    ),
  );
}

/** `to[]`: configuration for outgoing traffic, per destination. */
export function toList<C extends TSchema>(conf: C) {
  return Type.Optional(
    Type.Array(
      closed(
        { targetRef: TargetRefSchema, default: conf },
        'Configuration for traffic to the destinations the targetRef selects.',
      ),
      { description: 'Outbound configuration per destination.' },
    ),
  );
}

/** `rules[]`: configuration for incoming traffic, optionally restricted to some callers. */
export function ruleList<C extends TSchema>(conf: C) {
  return Type.Optional(
    Type.Array(
      closed(
        {
          matches: Type.Optional(
            Type.Array(MatchSchema, { description: 'Callers the rule applies to; every caller when unset.' }),
          ),
          default: conf,
        },
        'Configuration for incoming traffic.',
      ),
      { description: 'Inbound configuration.' },
    ),
  );
}
