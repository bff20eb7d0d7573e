/**
 * `node create.js <pgdata>`: creates an embedded database folder (PGlite's initdb) and exits. The server runs it as a
 * short-lived child process when its folder is new, because initdb grows the WebAssembly memory to about 500 MB
 * that is never given back: paid by the child, and returned to the system when it exits.
 */
import { PGlite } from '@electric-sql/pglite';

const [pgdata] = process.argv.slice(2);
if (!pgdata) {
  console.error('usage: create <pgdata>');
  process.exit(2);
}
const db = new PGlite(pgdata);
await db.waitReady;
await db.close();
