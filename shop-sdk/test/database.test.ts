import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { createDatabase, createLogger, REQUEST_SESSION_OPTIONS } from '../src/server/index.js';
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

  it('When a request session or a client opened with REQUEST_SESSION_OPTIONS plans a scan, then the plan has no parallel workers, where a plain session gets them', async () => {
    // Parallel plans made cheap, so a plain session takes one even for a small table.
    const cheapParallel = [
      'SET parallel_setup_cost = 0',
      'SET parallel_tuple_cost = 0',
      'SET min_parallel_table_scan_size = 0',
    ];
    const scan = 'EXPLAIN SELECT count(*) FROM parallel_probe';
    const planOf = async (client: pg.Client) => {
      for (const setting of cheapParallel) await client.query(setting);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(scan);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    };
    const connect = async (config: pg.ClientConfig) => {
      const client = new pg.Client({ connectionString: database.url, ...config });
      await client.connect();
      return client;
    };
    const plain = await connect({});
    const likeTheServices = await connect({ options: REQUEST_SESSION_OPTIONS });
    const service = createDatabase({
      url: database.url,
      migrationsDir: await mkdtemp(join(tmpdir(), 'migrations-')),
      poolMax: 1,
      logger: createLogger('test', 'silent'),
    });
    try {
      await plain.query('CREATE TABLE parallel_probe AS SELECT n FROM generate_series(1, 10000) n');
      await plain.query('ANALYZE parallel_probe');

      const servicePlan = await service.sequelize.transaction(async (transaction) => {
        for (const setting of cheapParallel) await service.sequelize.query(setting, { transaction });
        const [rows] = await service.sequelize.query(scan, { transaction });
        return (rows as Array<{ 'QUERY PLAN': string }>).map((row) => row['QUERY PLAN']).join('\n');
      });

      expect(await planOf(plain)).to.include('Gather');
      expect(servicePlan).not.to.include('Gather');
      expect(await planOf(likeTheServices)).not.to.include('Gather');
    } finally {
      await plain.query('DROP TABLE IF EXISTS parallel_probe');
      await Promise.all([plain.end(), likeTheServices.end(), service.close()]);
    }
  });
});

/** A folder of migration files, each given as the body of its `up`. */
async function migrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  for (const [name, body] of Object.entries(files))
    await writeFile(join(dir, name), `export const up = async ({ context }) => { ${body} };`);
  return dir;
}
