import type { Static, TSchema } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';

/** Whether a type lives at the top level or inside a mesh. */
export type ResourceScope = 'global' | 'mesh';

/** Which way a type travels over KDS. */
export type KdsDirection = 'global-to-zone' | 'zone-to-global' | 'both' | 'none';

/**
 * Where the spec sits in Kuma's universal form:
 * - `inline`: legacy types (Mesh, Dataplane, ZoneIngress, Secret, …) put spec fields next to
 *   `type`/`name`/`mesh` at the top level;
 * - `nested`: new-style types (Mesh* policies, Zone insights excluded) keep them under `spec`.
 */
export type SpecLayout = 'inline' | 'nested';

/** Context handed to a descriptor's semantic validator. */
export interface ValidationContext {
  readonly name: string;
  readonly mesh?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Everything Strait knows about one resource type, as data. The registry, the REST API,
 * the store, KDS filters and the CLI are all driven by descriptors: adding a type is adding
 * a descriptor, not editing branches across the tree.
 */
export interface ResourceDescriptor<S extends TSchema = TSchema> {
  /** Kuma type name, e.g. `MeshTrafficPermission`. */
  readonly name: string;
  /** Lower-case plural used in REST paths and by the CLI, e.g. `meshtrafficpermissions`. */
  readonly plural: string;
  /** Other names the CLI accepts: the lower-case singular and short forms, e.g. `mtp`. */
  readonly aliases: readonly string[];
  readonly scope: ResourceScope;
  readonly kds: KdsDirection;
  /** True for targetRef policies (they take part in policy matching). */
  readonly isPolicy: boolean;
  readonly specLayout: SpecLayout;
  /** TypeBox schema of the spec: yields the TS type, the runtime validator and the OpenAPI schema. */
  readonly specSchema: S;
  /** Schema of `status`, for types that carry one. */
  readonly statusSchema?: TSchema;
  /** Checks the schema cannot express; fields are named as in the universal form. */
  readonly validate?: (spec: Static<S>, ctx: ValidationContext) => readonly Violation[];
  /** Refused by the API on a zone CP that is connected to a global (owned by the global). */
  readonly readOnlyOnFederatedZone: boolean;
  /** Only the control plane writes it (insights); the API refuses user writes. */
  readonly systemOnly: boolean;
  /** Short human description (OpenAPI, `strait get --help`). */
  readonly description: string;
}

/** The spec type a descriptor describes. */
export type SpecOf<D> = D extends ResourceDescriptor<infer S> ? Static<S> : never;
