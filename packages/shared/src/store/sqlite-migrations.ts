/**
 * The SQLite store's schema, as an ordered list of migrations. A migration is never edited
 * once released; a schema change is a new entry at the end. `migrate` applies the pending
 * ones at open, all in one transaction, and refuses a file written by a newer Strait.
 */
import type Database from 'better-sqlite3';
import { StraitError } from '../errors/strait-error.js';

/** One schema step. */
export interface Migration {
  /** 1, 2, 3, … in order, no gaps. */
  readonly version: number;
  readonly description: string;
  /** One or more SQL statements. */
  readonly sql: string;
}

/** Every schema step of the SQLite store, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'resources, their labels, and the store revision',
    sql: `
      -- One row per resource. Global-scoped resources have mesh '' (SQL NULLs would not be
      -- unique). The owner columns hold the explicit owner reference, owner_type NULL if none.
      CREATE TABLE resources (
        id                INTEGER PRIMARY KEY,
        type              TEXT NOT NULL,
        mesh              TEXT NOT NULL,
        name              TEXT NOT NULL,
        version           INTEGER NOT NULL,
        creation_time     TEXT NOT NULL,
        modification_time TEXT NOT NULL,
        owner_type        TEXT,
        owner_mesh        TEXT,
        owner_name        TEXT,
        labels            TEXT NOT NULL,
        spec              TEXT NOT NULL,
        status            TEXT,
        UNIQUE (type, mesh, name)
      );
      -- Cascades: what an owner owns, and what a mesh holds.
      CREATE INDEX resources_by_owner ON resources (owner_type, owner_mesh, owner_name) WHERE owner_type IS NOT NULL;
      CREATE INDEX resources_by_mesh ON resources (mesh);

      -- Labels again, one row each, so label filters are index lookups rather than JSON scans.
      CREATE TABLE resource_labels (
        resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
        key         TEXT NOT NULL,
        value       TEXT NOT NULL,
        PRIMARY KEY (resource_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX resource_labels_by_value ON resource_labels (key, value, resource_id);

      -- Store-wide counters; 'revision' is the revision of the latest committed write
      -- (deletes take revisions too, so it cannot be derived from resources.version).
      CREATE TABLE store_meta (
        key   TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO store_meta (key, value) VALUES ('revision', 0);
    `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings `db` to the newest schema of `migrations`, in one IMMEDIATE transaction (so two
 * processes opening the same new file do not both migrate it). Throws `Invalid` when the
 * file's schema is newer than `migrations` knows.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration #${i} has version ${m.version}, want ${i + 1}`);
  });
  const latest = migrations.length;
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     INTEGER PRIMARY KEY,
      description TEXT NOT NULL,
      applied_at  TEXT NOT NULL
    )`);
    const row = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations').get();
    const current = row?.v ?? 0;
    if (current > latest) {
      throw new StraitError(
        'Invalid',
        `store file ${db.name} has schema version ${current}, newer than the ${latest} this Strait supports; ` +
          'upgrade Strait or point it at another store file',
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations.slice(current)) {
      db.exec(m.sql);
      record.run(m.version, m.description, new Date().toISOString());
    }
  }).immediate();
}
