// Child process of the SQLite crash test: opens the store at argv[2] and creates resources one
// by one, printing `ack <name>` on stdout after each write is acknowledged, until it is killed.
import { createSqliteStore } from '../sqlite-store.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-writer <store-file>');
const store = createSqliteStore({ path });
await store.create({ type: 'Mesh', name: 'default', spec: {} });
process.stdout.write('ready\n');
// Bounded, so an orphaned writer cannot run forever; the test kills it long before.
for (let i = 0; i < 100_000; i++) {
  const name = `dp-${i}`;
  await store.create({
    type: 'TrafficThing',
    mesh: 'default',
    name,
    labels: { index: String(i) },
    spec: { index: i, payload: 'x'.repeat(256) },
  });
  process.stdout.write(`ack ${name}\n`);
}
