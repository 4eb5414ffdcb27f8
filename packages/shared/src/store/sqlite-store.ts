/**
 * The SQLite store (better-sqlite3): the default store of both CPs. One connection, WAL
 * journal, prepared statements, every public call one transaction (a batch too). Reads never
 * pull a whole table into JS: filters, ordering and paging run in SQL, label filters on an
 * indexed side table.
 */
import Database from 'better-sqlite3';
import { isStraitError, StraitError } from '../errors/strait-error.js';
import { keyOf, type Resource, type ResourceKey } from '../model/resource.js';
import { createChangeFeed, type ListenerErrorHandler } from './change-feed.js';
import { makePage } from './list-query.js';
import { isMesh } from './ownership.js';
import { assembleResource, deepFreeze, makeKey, toJsonText } from './snapshot.js';
import { migrate } from './sqlite-migrations.js';
import type { ChangeEvent, ListQuery, ResourceStore } from './store.js';
import { storeClosed } from './store-errors.js';
import { checkKey, checkListQuery } from './validate-input.js';
import { applyBatch, applyCreate, applyDelete, applyUpdate, type ResourceHead, type WriteTarget } from './write-ops.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; created (with its schema) if missing. Its directory must exist. */
  readonly path: string;
  /**
   * SQLite `synchronous` setting. `normal` (default): every acknowledged write survives a
   * crash or SIGKILL of the process; an OS crash or power cut may lose the last few writes but
   * never corrupts the file. `full`: writes also survive power loss, at one fsync per write.
   */
  readonly synchronous?: 'normal' | 'full';
  /** How long a write waits for another connection's lock before failing; default 5000. */
  readonly busyTimeoutMs?: number;
  /** Clock for creation and modification times; default `() => new Date()`. */
  readonly now?: () => Date;
  /** Receives what a change listener threw; default: ignored. */
  readonly onListenerError?: ListenerErrorHandler;
}

interface ResourceRow {
  readonly id: number;
  readonly type: string;
  readonly mesh: string;
  readonly name: string;
  readonly version: number;
  readonly creation_time: string;
  readonly modification_time: string;
  readonly owner_type: string | null;
  readonly owner_mesh: string | null;
  readonly owner_name: string | null;
  readonly labels: string;
  readonly spec: string;
  readonly status: string | null;
}

type HeadRow = Pick<ResourceRow, 'version' | 'creation_time' | 'owner_type' | 'owner_mesh' | 'owner_name'>;

const COLUMNS =
  'id, type, mesh, name, version, creation_time, modification_time, owner_type, owner_mesh, owner_name, labels, spec, status';
const KEY_MATCH = 'type = ? AND mesh = ? AND name = ?';

/** Prepared statements kept for dynamic list queries (one per shape of filter). */
const MAX_CACHED_LIST_STATEMENTS = 64;

/** The (type, mesh, name) bind values of a key; global-scoped keys use mesh ''. */
function keyParams(key: ResourceKey): [string, string, string] {
  return [key.type, key.mesh ?? '', key.name];
}

function ownerOf(row: Pick<ResourceRow, 'owner_type' | 'owner_mesh' | 'owner_name'>): ResourceKey | undefined {
  if (row.owner_type === null || row.owner_name === null) return undefined;
  return makeKey(row.owner_type, row.owner_mesh || undefined, row.owner_name);
}

function toResource(row: ResourceRow): Resource {
  return deepFreeze(
    assembleResource({
      type: row.type,
      name: row.name,
      mesh: row.mesh === '' ? undefined : row.mesh,
      labels: JSON.parse(row.labels) as Record<string, string>,
      version: row.version,
      creationTime: row.creation_time,
      modificationTime: row.modification_time,
      owner: ownerOf(row),
      spec: JSON.parse(row.spec),
      status: row.status === null ? undefined : JSON.parse(row.status),
    }),
  );
}

/** Maps whatever better-sqlite3 threw to a StraitError (busy → Unavailable, the rest → Internal). */
function toStraitError(err: unknown, context: string): StraitError {
  if (isStraitError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof Database.SqliteError ? err.code : '';
  const busy = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  return new StraitError(busy ? 'Unavailable' : 'Internal', `${context}: ${message}`, { cause: err });
}

/** Sets the connection's journal, durability and integrity pragmas. */
function configure(db: Database.Database, synchronous: 'normal' | 'full'): void {
  const journal = db.pragma('journal_mode = WAL', { simple: true });
  if (journal !== 'wal' && !db.memory) {
    throw new StraitError('Unavailable', `store file ${db.name} cannot use WAL (journal mode is ${String(journal)})`);
  }
  // Durability. In WAL mode a commit has been write()n to the -wal file before SQLite returns,
  // so it sits in the OS page cache and survives the death of this process (crash, OOM kill,
  // SIGKILL) whatever `synchronous` says; NORMAL adds fsyncs at checkpoints, which keeps the file
  // consistent across an OS crash or power cut (only the last commits may be lost). FULL would
  // also fsync the WAL on every commit for power-loss durability; better-sqlite3 is synchronous,
  // so that fsync (milliseconds on real disks) would stall the event loop, and with it every
  // xDS/KDS stream, on each write. A CP's config can be re-applied and a zone's synced copy
  // re-fetched from the global, so NORMAL is the default and FULL an explicit choice.
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // The label side table relies on ON DELETE CASCADE.
  db.pragma('foreign_keys = ON');
}

/**
 * Opens (creating and migrating as needed) a SQLite-backed {@link ResourceStore}. Throws
 * `Invalid` when the file was written by a newer schema, `Internal`/`Unavailable` when it
 * cannot be opened.
 */
export function createSqliteStore(options: SqliteStoreOptions): ResourceStore {
  const now = options.now ?? (() => new Date());
  let db: Database.Database;
  try {
    db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (err) {
    throw toStraitError(err, `cannot open store file ${options.path}`);
  }
  try {
    configure(db, options.synchronous ?? 'normal');
    migrate(db);
  } catch (err) {
    db.close();
    throw toStraitError(err, `cannot open store file ${options.path}`);
  }

  const sql = {
    head: db.prepare<[string, string, string], HeadRow>(
      `SELECT version, creation_time, owner_type, owner_mesh, owner_name FROM resources WHERE ${KEY_MATCH}`,
    ),
    get: db.prepare<[string, string, string], ResourceRow>(`SELECT ${COLUMNS} FROM resources WHERE ${KEY_MATCH}`),
    owned: db.prepare<[string, string, string], ResourceRow>(
      `SELECT ${COLUMNS} FROM resources WHERE owner_type = ? AND owner_mesh = ? AND owner_name = ?`,
    ),
    inMesh: db.prepare<[string], ResourceRow>(`SELECT ${COLUMNS} FROM resources WHERE mesh = ?`),
    insert: db.prepare(
      `INSERT INTO resources (type, mesh, name, version, creation_time, modification_time,
         owner_type, owner_mesh, owner_name, labels, spec, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
    ),
    replace: db.prepare(
      `UPDATE resources SET version = ?, modification_time = ?, owner_type = ?, owner_mesh = ?, owner_name = ?,
         labels = ?, spec = ?, status = ?
       WHERE ${KEY_MATCH} RETURNING ${COLUMNS}`,
    ),
    remove: db.prepare<[string, string, string]>(`DELETE FROM resources WHERE ${KEY_MATCH}`),
    clearLabels: db.prepare<[number]>('DELETE FROM resource_labels WHERE resource_id = ?'),
    addLabel: db.prepare<[number, string, string]>(
      'INSERT INTO resource_labels (resource_id, key, value) VALUES (?, ?, ?)',
    ),
    revision: db.prepare<[], number>(`SELECT value FROM store_meta WHERE key = 'revision'`).pluck(),
    setRevision: db.prepare<[number]>(`UPDATE store_meta SET value = ? WHERE key = 'revision'`),
  };
  const listStatements = new Map<string, Database.Statement<unknown[], unknown>>();
  const feed = createChangeFeed(options.onListenerError);
  let closed = false;

  /** Serialises a draft's mutable columns (JSON errors surface as `Invalid`, inside the transaction). */
  const columnsOf = (draft: Resource): unknown[] => [
    draft.meta.version,
    draft.meta.modificationTime,
    draft.meta.owner?.type ?? null,
    draft.meta.owner === undefined ? null : (draft.meta.owner.mesh ?? ''),
    draft.meta.owner?.name ?? null,
    toJsonText(draft.meta.labels, 'labels'),
    toJsonText(draft.spec, 'spec'),
    draft.status === undefined ? null : toJsonText(draft.status, 'status'),
  ];

  const writeLabels = (row: ResourceRow, labels: Readonly<Record<string, string>>, clear: boolean): void => {
    if (clear) sql.clearLabels.run(row.id);
    for (const [k, v] of Object.entries(labels)) sql.addLabel.run(row.id, k, v);
  };

  /** A write target over the open transaction; the revision is read once and written back once. */
  const makeTarget = (revision: { value: number }): WriteTarget => ({
    head(key): ResourceHead | undefined {
      const row = sql.head.get(...keyParams(key));
      if (row === undefined) return undefined;
      const owner = ownerOf(row);
      return owner === undefined
        ? { version: row.version, creationTime: row.creation_time }
        : { version: row.version, creationTime: row.creation_time, owner };
    },
    get(key) {
      const row = sql.get.get(...keyParams(key));
      return row === undefined ? undefined : toResource(row);
    },
    dependents(owner) {
      const rows = sql.owned.all(owner.type, owner.meta.mesh ?? '', owner.meta.name);
      if (isMesh(owner)) rows.push(...sql.inMesh.all(owner.meta.name));
      return rows.map(toResource);
    },
    nextRevision: () => ++revision.value,
    insert(draft) {
      const [version, modificationTime, ...rest] = columnsOf(draft);
      const row = sql.insert.get(
        ...keyParams(keyOf(draft)),
        version,
        draft.meta.creationTime,
        modificationTime,
        ...rest,
      ) as ResourceRow;
      writeLabels(row, draft.meta.labels, false);
      return toResource(row);
    },
    replace(draft) {
      const row = sql.replace.get(...columnsOf(draft), ...keyParams(keyOf(draft))) as ResourceRow | undefined;
      if (row === undefined) throw new Error(`replace of absent ${draft.type} ${draft.meta.name}`);
      writeLabels(row, draft.meta.labels, true);
      return toResource(row);
    },
    remove(resource) {
      sql.remove.run(resource.type, resource.meta.mesh ?? '', resource.meta.name);
    },
  });

  // One IMMEDIATE transaction per write: the write lock is taken up front, so reading the
  // revision and writing it back cannot interleave with another connection's write.
  const inWriteTransaction = db.transaction((op: (target: WriteTarget) => unknown): unknown => {
    const revision = { value: sql.revision.get() ?? 0 };
    const start = revision.value;
    const result = op(makeTarget(revision));
    if (revision.value !== start) sql.setRevision.run(revision.value);
    return result;
  });

  const write = <T>(op: (target: WriteTarget) => T, events: (result: T) => readonly ChangeEvent[]): T => {
    if (closed) throw storeClosed();
    let result: T;
    try {
      result = inWriteTransaction.immediate(op) as T;
    } catch (err) {
      throw toStraitError(err, 'store write failed');
    }
    feed.publish(events(result)); // after commit, outside the transaction
    return result;
  };

  const read = <T>(fn: () => T): T => {
    if (closed) throw storeClosed();
    try {
      return fn();
    } catch (err) {
      throw toStraitError(err, 'store read failed');
    }
  };

  const listStatement = (text: string): Database.Statement<unknown[], unknown> => {
    let stmt = listStatements.get(text);
    if (stmt === undefined) {
      if (listStatements.size >= MAX_CACHED_LIST_STATEMENTS) {
        const oldest = listStatements.keys().next().value;
        if (oldest !== undefined) listStatements.delete(oldest);
      }
      stmt = db.prepare(text);
      listStatements.set(text, stmt);
    }
    return stmt;
  };

  // Count and page in one read transaction, so `total` and `items` see the same snapshot.
  const listInTransaction = db.transaction((query: ListQuery) => {
    const where = ['type = ?'];
    const params: unknown[] = [query.type];
    if (query.mesh !== undefined) {
      where.push('mesh = ?');
      params.push(query.mesh);
    }
    if (query.nameContains !== undefined) {
      where.push('instr(name, ?) > 0'); // case-sensitive and wildcard-free, unlike LIKE
      params.push(query.nameContains);
    }
    for (const [k, v] of Object.entries(query.labels ?? {})) {
      where.push('id IN (SELECT resource_id FROM resource_labels WHERE key = ? AND value = ?)');
      params.push(k, v);
    }
    const filter = where.join(' AND ');
    const offset = query.offset ?? 0;
    const total = listStatement(`SELECT count(*) FROM resources WHERE ${filter}`)
      .pluck()
      .get(...params) as number;
    const rows =
      offset >= total
        ? []
        : (listStatement(`SELECT ${COLUMNS} FROM resources WHERE ${filter} ORDER BY mesh, name LIMIT ? OFFSET ?`).all(
            ...params,
            query.size ?? -1,
            offset,
          ) as ResourceRow[]);
    return makePage(rows.map(toResource), total, offset);
  });

  return {
    async create(input) {
      return write(
        (t) => applyCreate(t, input, now),
        (e) => [e],
      ).resource;
    },
    async update(input, writeOptions) {
      return write(
        (t) => applyUpdate(t, input, writeOptions, now),
        (e) => [e],
      ).resource;
    },
    async delete(key, writeOptions) {
      write(
        (t) => applyDelete(t, key, writeOptions),
        (events) => events,
      );
    },
    async applyBatch(ops) {
      if (ops.length === 0) {
        if (closed) throw storeClosed();
        return [];
      }
      // One transaction: a failing op rolls back the ones before it.
      return write(
        (t) => applyBatch(t, ops, now),
        (events) => events,
      );
    },
    async get(key) {
      checkKey(key);
      return read(() => {
        const row = sql.get.get(...keyParams(key));
        return row === undefined ? undefined : toResource(row);
      });
    },
    async list(query) {
      checkListQuery(query);
      return read(() => listInTransaction.deferred(query));
    },
    subscribe: (listener) => feed.subscribe(listener),
    async revision() {
      return read(() => sql.revision.get() ?? 0);
    },
    async close() {
      if (closed) return;
      closed = true;
      feed.clear();
      db.close();
    },
  };
}
