/**
 * Small TypeBox builders shared by the resource schemas. Every object is closed
 * (`additionalProperties: false`): unknown fields are refused, as Kuma refuses them.
 * Value formats the schema language cannot check (durations, percentages given as
 * int-or-string, base64, …) are annotated with {@link CHECK_KEYWORD} and checked by
 * `runChecks` in `checks.ts`, so the rule lives next to the field it constrains.
 */
import {
  type SchemaOptions,
  type TArray,
  type TInteger,
  type TLiteral,
  type TObject,
  type TProperties,
  type TRecord,
  type TSchema,
  type TString,
  type TUnion,
  Type,
} from '@sinclair/typebox';

/** Schema keyword naming a value check from `checks.ts` (an OpenAPI `x-` extension). */
export const CHECK_KEYWORD = 'x-strait-check';

/** The value checks a schema can ask for (see `checks.ts`). */
export type CheckName =
  | 'duration'
  | 'duration-positive'
  | 'duration-nonnegative'
  | 'duration-days-positive'
  | 'percent'
  | 'decimal-positive'
  | 'decimal-nonnegative'
  | 'bandwidth'
  | 'rfc3339'
  | 'base64'
  | 'ip'
  | 'address'
  | 'regex'
  | 'absolute-path'
  | 'url'
  | 'host-port';

/** A closed object: only the listed properties are allowed. */
export function closed<T extends TProperties>(properties: T, description: string): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, description });
}

/** A map of strings to strings (tags, labels). */
export function stringMap(description: string): TRecord<TString, TString> {
  return Type.Record(Type.String(), Type.String(), { description });
}

/** One of a fixed set of strings. */
export function enumOf<const T extends readonly string[]>(
  values: T,
  description: string,
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v as T[number])),
    { description },
  );
}

/** A string checked by `check`. */
export function checkedString(check: CheckName, description: string, options: SchemaOptions = {}): TString {
  return Type.String({ ...options, description, [CHECK_KEYWORD]: check });
}

/** A Go duration string (`5s`, `1m30s`, `100ms`). */
export function duration(description: string, check: CheckName = 'duration'): TString {
  return checkedString(check, `${description} A duration such as 5s, 1m30s or 100ms.`);
}

/** An integer or a decimal string (Kubernetes int-or-string), checked by `check`. */
export function intOrString(check: CheckName, description: string): TUnion<[TInteger, TString]> {
  return Type.Union([Type.Integer(), Type.String()], { description, [CHECK_KEYWORD]: check });
}

/** A percentage 0–100 as an integer or a decimal string (`50`, `"12.5"`). */
export function percent(description: string): TUnion<[TInteger, TString]> {
  return intOrString('percent', `${description} A percentage from 0 to 100, integer or decimal string.`);
}

/** A TCP/UDP port number. */
export function port(description: string): TInteger {
  return Type.Integer({ minimum: 1, maximum: 65535, description });
}

/** An integer greater than zero. */
export function positiveInt(description: string): TInteger {
  return Type.Integer({ minimum: 1, description });
}

/** An integer that is zero or more. */
export function nonNegativeInt(description: string): TInteger {
  return Type.Integer({ minimum: 0, description });
}

/** A list of strings. */
export function stringList(description: string): TArray<TString> {
  return Type.Array(Type.String(), { description });
}

/** Reads the check a schema asks for, if any. */
export function checkOf(schema: TSchema): CheckName | undefined {
  return (schema as Record<string, unknown>)[CHECK_KEYWORD] as CheckName | undefined;
}
