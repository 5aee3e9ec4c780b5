import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import pg from 'pg';
import {
  ConfigError,
  createDatabase,
  createServiceApp,
  loadConfig,
  serviceEnv,
  startService,
  type Database,
  type ServiceParts,
} from '../src/server/index.js';
import { call, startTestDatabase, type TestDatabase } from '../src/testing/index.js';

type Settings = ReturnType<typeof readSettings>;

const readSettings = (env: NodeJS.ProcessEnv = {}) =>
  loadConfig(serviceEnv, { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env });

/** What the service's parts saw, in the order they saw it. */
type Story = string[];

/** A tiny service's parts on `url`, telling what happens to them in `story`. */
function tinyService(url: string, story: Story): ServiceParts<Settings, { name: string }> {
  return {
    name: 'tiny-boot',
    readConfig: () => readSettings({ DATABASE_URL: url, SERVICE_SECRET: 's'.repeat(32) }),
    openDatabase: (databaseUrl, poolMax, logger) => {
      story.push('database opened');
      return createDatabase({
        url: databaseUrl,
        poolMax,
        logger,
        migrationsDir: new URL('./fixtures/migrations', import.meta.url),
      });
    },
    buildDependencies: () => ({ name: 'dependencies' }),
    buildApp: ({ db, logger }) =>
      createServiceApp({
        service: 'tiny-boot',
        logger,
        bodyLimit: '1mb',
        trustProxy: 'loopback',
        checkReadiness: () => db.ping(),
        routes: () => {},
      }),
    afterMigrate: async ({ db }) => {
      await db.sequelize.query(`INSERT INTO customers (id, email) VALUES ($id, 'admin@example.test')`, {
        bind: { id: randomUUID() },
      });
      story.push('admin created');
    },
    startWorkers: ({ db }) => {
      story.push('workers started');
      return {
        // A round in progress when the service stops: it still writes, so the pool must still be open.
        async stop() {
          await db.sequelize.query(`INSERT INTO customers (id, email) VALUES ($id, 'last@example.test')`, {
            bind: { id: randomUUID() },
          });
          story.push('workers stopped');
        },
      };
    },
    releaseDependencies: (deps) => {
      story.push(`${deps.name} released`);
    },
  };
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [table]);
    return rows[0].found as boolean;
  } finally {
    await client.end();
  }
}

async function emails(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT email FROM customers ORDER BY email');
    return rows.map((row: { email: string }) => row.email);
  } finally {
    await client.end();
  }
}

describe('startService: the boot order every service shares', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await startTestDatabase('sdk_boot');
  });

  afterEach(async () => {
    await database.stop();
  });

  it('When the environment is wrong, then the start fails naming the setting and no database is opened', async () => {
    const story: Story = [];
    const parts = { ...tinyService(database.url, story), readConfig: () => readSettings() };

    const failure = await startService(parts).catch((error: unknown) => error);

    expect(failure).to.be.instanceOf(ConfigError);
    expect((failure as Error).message).to.include('DATABASE_URL is required');
    expect(story).to.deep.equal([]);
  });

  it('When the app cannot be built (a token setting missing), then the start fails, nothing is migrated and what it opened is released', async () => {
    const story: Story = [];
    let opened: Database | undefined;
    const service = tinyService(database.url, story);
    const parts: typeof service = {
      ...service,
      openDatabase: (...args) => (opened = service.openDatabase(...args)),
      buildApp: () => {
        throw new ConfigError('invalid configuration: JWT_PUBLIC_KEY or JWKS_URL is required');
      },
    };

    const failure = await startService(parts).catch((error: unknown) => error);

    expect((failure as Error).message).to.include('JWT_PUBLIC_KEY or JWKS_URL is required');
    expect(await tableExists(database.url, 'customers')).to.equal(false);
    expect(story).to.deep.equal(['database opened', 'dependencies released']);
    const ping = await opened!.ping().then(
      () => 'answered',
      () => 'closed',
    );
    expect(ping).to.equal('closed');
  });

  it('When a service starts and stops, then the admin and the workers find the tables, and the workers finish before the pool closes', async () => {
    const story: Story = [];

    const running = await startService(tinyService(database.url, story));
    const ready = await call(`http://127.0.0.1:${running.port}`, 'GET', '/readyz');
    await running.stop();

    expect(ready.status).to.equal(200);
    expect(story).to.deep.equal([
      'database opened',
      'admin created',
      'workers started',
      'workers stopped',
      'dependencies released',
    ]);
    expect(await emails(database.url)).to.deep.equal(['admin@example.test', 'last@example.test']);
  });
});
