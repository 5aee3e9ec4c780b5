import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createDatabase, createLogger } from '../src/server/index.js';
import { startTestDatabase, type TestDatabase } from '../src/testing/index.js';

describe('createDatabase', () => {
  let database: TestDatabase;
  before(async () => {
    database = await startTestDatabase('sdk');
  });
  after(() => database.stop());

  it('When two instances migrate at once, then each migration runs exactly once', async () => {
    const migrationsDir = await mkdtemp(join(tmpdir(), 'migrations-'));
    await writeFile(
      join(migrationsDir, '0001.create-counter.js'),
      `export const up = async ({ context }) => {
         await context.sequelize.query('CREATE TABLE counter (n int)');
         await context.sequelize.query('SELECT pg_sleep(0.2)');
         await context.sequelize.query('INSERT INTO counter VALUES (1)');
       };`,
    );
    const logger = createLogger('test', 'silent');
    const first = createDatabase({ url: database.url, migrationsDir, poolMax: 2, logger });
    const second = createDatabase({ url: database.url, migrationsDir, poolMax: 2, logger });

    await Promise.all([first.migrate(), second.migrate()]);

    const [rows] = await first.sequelize.query('SELECT count(*)::int AS n FROM counter');
    expect(rows).to.deep.equal([{ n: 1 }]);
    await first.ping();
    await Promise.all([first.close(), second.close()]);
  });

  it('When a migration meets a table another session holds, then the start fails fast naming it, and the next start applies it', async () => {
    const logger = createLogger('test', 'silent');
    const setup = createDatabase({
      url: database.url,
      migrationsDir: await migrations({}),
      poolMax: 2,
      logger,
    });
    await setup.sequelize.query('CREATE TABLE busy_orders (id int)');
    const migrationsDir = await migrations({
      '0001.add-note.js': "await context.sequelize.query('ALTER TABLE busy_orders ADD COLUMN note text');",
    });
    const holder = await setup.sequelize.transaction();
    await setup.sequelize.query('LOCK TABLE busy_orders IN ACCESS SHARE MODE', { transaction: holder });
    const blocked = createDatabase({ url: database.url, migrationsDir, poolMax: 2, logger });

    const failure = await blocked.migrate().then(
      () => undefined,
      (error: Error) => error,
    );
    await holder.commit();
    const retry = createDatabase({ url: database.url, migrationsDir, poolMax: 2, logger });
    await retry.migrate();

    expect(failure?.message).to.match(
      /^migration 0001\.add-note waited 5 s for a lock .* \(lock_timeout\).* the next start retries it$/,
    );
    const [columns] = await retry.sequelize.query(
      "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'busy_orders' ORDER BY 1",
    );
    expect(columns).to.deep.equal([{ name: 'id' }, { name: 'note' }]);
    await Promise.all([setup.close(), blocked.close(), retry.close()]);
  });
});

/** A folder of migration files, each given as the body of its `up`. */
async function migrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  for (const [name, body] of Object.entries(files))
    await writeFile(join(dir, name), `export const up = async ({ context }) => { ${body} };`);
  return dir;
}
