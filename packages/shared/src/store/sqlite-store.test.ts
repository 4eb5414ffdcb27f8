import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { isStraitError } from '../errors/strait-error.js';
import { runStoreContract } from './contract-suite.js';
import { createStore } from './create-store.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from './sqlite-migrations.js';
import { createSqliteStore } from './sqlite-store.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'strait-sqlite-'));
}

runStoreContract('sqlite', async () => {
  const dir = await tempDir();
  const store = createSqliteStore({ path: join(dir, 'store.db') });
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await tempDir();
    path = join(dir, 'store.db');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps data and continues the revision across close and reopen', async () => {
    const first = createSqliteStore({ path });
    await first.create({ type: 'Mesh', name: 'default', spec: { a: 1 }, labels: { env: 'prod' } });
    const dp = await first.create({ type: 'TrafficThing', mesh: 'default', name: 'web', spec: { port: 80 } });
    await first.create({ type: 'TrafficThing', mesh: 'default', name: 'gone', spec: {} });
    await first.delete({ type: 'TrafficThing', mesh: 'default', name: 'gone' });
    assert.equal(await first.revision(), 4);
    await first.close();

    const second = createSqliteStore({ path });
    try {
      assert.equal(await second.revision(), 4);
      assert.deepEqual(await second.get({ type: 'TrafficThing', mesh: 'default', name: 'web' }), dp);
      assert.equal((await second.list({ type: 'Mesh', labels: { env: 'prod' } })).total, 1);
      const next = await second.create({ type: 'TrafficThing', mesh: 'default', name: 'api', spec: {} });
      assert.equal(next.meta.version, 5);
    } finally {
      await second.close();
    }
  });

  it('uses WAL and records each migration once', async () => {
    await createSqliteStore({ path }).close();
    await createSqliteStore({ path }).close();
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const rows = db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all();
      assert.equal(rows.length, MIGRATIONS.length);
      assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it('applies only the pending migrations of an older file, keeping its data', async () => {
    const [first] = MIGRATIONS;
    assert.ok(first);
    const db = new Database(path);
    try {
      migrate(db, [first]);
      db.prepare(`UPDATE store_meta SET value = 7 WHERE key = 'revision'`).run();
      const extra = { version: 2, description: 'test step', sql: 'CREATE TABLE test_extra (x INTEGER)' };
      migrate(db, [first, extra]);
      migrate(db, [first, extra]); // a second open applies nothing
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      assert.deepEqual(versions, [1, 2]);
      assert.equal(db.prepare(`SELECT value FROM store_meta WHERE key = 'revision'`).pluck().get(), 7);
    } finally {
      db.close();
    }
  });

  it('refuses a file written by a newer schema', async () => {
    await createSqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare(`INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, 'future', ?)`).run(
      SCHEMA_VERSION + 1,
      new Date().toISOString(),
    );
    db.close();
    assert.throws(
      () => createSqliteStore({ path }),
      (err: unknown) => isStraitError(err, 'Invalid') && err.message.includes(`schema version ${SCHEMA_VERSION + 1}`),
    );
  });

  it('rolls a failing cascade back completely', async () => {
    const store = createSqliteStore({ path });
    try {
      await store.create({ type: 'Mesh', name: 'm', spec: {} });
      for (const name of ['a', 'poison', 'z']) {
        await store.create({ type: 'TrafficThing', mesh: 'm', name, spec: {} });
      }
      const revision = await store.revision();
      // Another connection installs a trigger that fails the delete of one resource mid-cascade.
      const other = new Database(path);
      other.exec(`CREATE TRIGGER fail_poison BEFORE DELETE ON resources WHEN OLD.name = 'poison'
                  BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      other.close();
      const events: unknown[] = [];
      store.subscribe((e) => events.push(e));

      await assert.rejects(store.delete({ type: 'Mesh', name: 'm' }), (err: unknown) => isStraitError(err, 'Internal'));
      assert.equal(await store.revision(), revision);
      assert.deepEqual(events, []);
      assert.ok(await store.get({ type: 'Mesh', name: 'm' }));
      assert.equal((await store.list({ type: 'TrafficThing', mesh: 'm' })).total, 3);
    } finally {
      await store.close();
    }
  });

  it('createStore makes the parent directory of the file', async () => {
    const nested = join(dir, 'a', 'b', 'store.db');
    const store = createStore({ type: 'sqlite', path: nested });
    await store.create({ type: 'Mesh', name: 'm', spec: {} });
    await store.close();
    const reopened = createStore({ type: 'sqlite', path: nested });
    assert.ok(await reopened.get({ type: 'Mesh', name: 'm' }));
    await reopened.close();
  });

  it('keeps every acknowledged write when the writing process is SIGKILLed', { timeout: 60_000 }, async () => {
    const script = fileURLToPath(new URL('./testdata/crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, path], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
      child.on('close', (code, signal) => resolve(signal ?? code));
    });
    const acked: string[] = [];
    try {
      // Read acknowledgements until 200 arrive, then kill mid-stream; lines already on the pipe
      // are still read, and each is a write that must have survived.
      for await (const line of createInterface({ input: child.stdout })) {
        if (!line.startsWith('ack ')) continue;
        acked.push(line.slice(4));
        if (acked.length === 200) child.kill('SIGKILL');
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL', `writer ended before being killed: ${stderr}`);
    assert.ok(acked.length >= 200, `only ${acked.length} acks: ${stderr}`);

    const store = createSqliteStore({ path });
    try {
      for (const name of acked) {
        const r = await store.get({ type: 'TrafficThing', mesh: 'default', name });
        assert.ok(r, `acknowledged ${name} is missing after the crash`);
        const index = Number(name.slice(3));
        assert.deepEqual(r.spec, { index, payload: 'x'.repeat(256) });
        assert.deepEqual(r.meta.labels, { index: String(index) });
      }
      const { total } = await store.list({ type: 'TrafficThing', mesh: 'default' });
      assert.ok(total >= acked.length);
      assert.ok((await store.revision()) >= acked.length + 1);
    } finally {
      await store.close();
    }
  });
});
