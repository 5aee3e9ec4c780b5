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
});
