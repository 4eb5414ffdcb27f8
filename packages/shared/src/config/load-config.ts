import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { invalid, StraitError, type Violation } from '../errors/strait-error.js';
import { validateAgainstSchema } from '../model/validate-spec.js';
import { parseDuration } from '../resources/common/duration.js';
import { CONFIG_SOURCES, type ConfigSource } from './config-sources.js';
import { type CpConfig, CpConfigSchema, type CpRole, defaultCpConfig } from './cp-config.js';

/** Inputs of {@link loadCpConfig}, lowest precedence first. */
export interface LoadConfigOptions {
  readonly role: CpRole;
  /** YAML file (`--config`). */
  readonly file?: string;
  /** Environment; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Parsed flags keyed by {@link ConfigSource.flag}; raw strings or booleans. */
  readonly flags?: Readonly<Record<string, string | boolean | undefined>>;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Json, v) : v;
  }
  return out;
}

function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    if (!isObject(node[p])) node[p] = {};
    node = node[p] as Json;
  }
  node[parts[parts.length - 1] as string] = value;
}

function convert(source: ConfigSource, raw: string | boolean, origin: string): unknown {
  if (typeof raw === 'boolean') {
    if (source.kind === 'boolean') return raw;
    throw invalid([{ field: source.path, reason: `${origin} needs a value` }], 'configuration');
  }
  switch (source.kind) {
    case 'integer': {
      if (!/^-?\d+$/.test(raw.trim())) {
        throw invalid([{ field: source.path, reason: `${origin}="${raw}" is not an integer` }], 'configuration');
      }
      return Number.parseInt(raw, 10);
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(v)) return true;
      if (['false', '0', 'no'].includes(v)) return false;
      throw invalid([{ field: source.path, reason: `${origin}="${raw}" is not a boolean` }], 'configuration');
    }
    case 'duration': {
      const text = raw.trim();
      const ms = /^\d+$/.test(text) ? Number.parseInt(text, 10) : parseDuration(text);
      if (ms === undefined || !Number.isInteger(ms) || ms < 0) {
        throw invalid(
          [{ field: source.path, reason: `${origin}="${raw}" is not a duration (e.g. 500ms, 10s, 1m)` }],
          'configuration',
        );
      }
      return ms;
    }
    default:
      return raw;
  }
}

function readFileLayer(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StraitError('Invalid', `cannot read config file ${file}: ${(err as Error).message}`, {
      violations: [{ field: 'config', reason: `cannot read ${file}` }],
    });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    throw new StraitError('Invalid', `config file ${file} is not valid YAML: ${(err as Error).message}`, {
      violations: [{ field: 'config', reason: 'not valid YAML' }],
    });
  }
  if (!isObject(doc)) throw invalid([{ field: 'config', reason: `${file} must hold a YAML mapping` }], 'configuration');
  return doc;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

/**
 * Loads a control plane's configuration: defaults < YAML file < `STRAIT_*` environment <
 * flags. The result is validated (every offending setting named, with the variable or flag
 * it came from) and deeply frozen. Relative paths are resolved against the working directory.
 */
export function loadCpConfig(options: LoadConfigOptions): CpConfig {
  let config: Json = defaultCpConfig(options.role) as unknown as Json;
  if (options.file !== undefined) config = merge(config, readFileLayer(options.file));
  const env = options.env ?? process.env;
  for (const source of CONFIG_SOURCES) {
    const raw = env[source.env];
    if (raw !== undefined && raw !== '') setPath(config, source.path, convert(source, raw, source.env));
  }
  for (const source of CONFIG_SOURCES) {
    const raw = options.flags?.[source.flag];
    if (raw !== undefined) setPath(config, source.path, convert(source, raw, `--${source.flag}`));
  }
  const violations: Violation[] = validateAgainstSchema(CpConfigSchema, config).map((v) => {
    const src = CONFIG_SOURCES.find((s) => s.path === v.field);
    return src === undefined ? v : { field: v.field, reason: `${v.reason} (${src.env} / --${src.flag})` };
  });
  if (violations.length === 0) violations.push(...crossFieldViolations(config as unknown as CpConfig));
  if (violations.length > 0) throw invalid(violations, 'configuration');
  const typed = config as unknown as CpConfig;
  const dataDir = resolve(typed.dataDir);
  const store = { ...typed.store, path: resolve(typed.store.path ?? `${dataDir}/strait.db`) };
  return deepFreeze({ ...typed, dataDir, store });
}

/** Rules the schema cannot say: relations between settings. */
function crossFieldViolations(config: CpConfig): Violation[] {
  const { heartbeatIntervalMs, heartbeatTimeoutMs } = config.kds;
  if (heartbeatTimeoutMs >= 2 * heartbeatIntervalMs) return [];
  return [
    {
      field: 'kds.heartbeatTimeoutMs',
      reason: `must be at least twice kds.heartbeatIntervalMs (${heartbeatIntervalMs} ms) (STRAIT_KDS_HEARTBEAT_TIMEOUT / --kds-heartbeat-timeout)`,
    },
  ];
}
