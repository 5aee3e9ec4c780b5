import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createLogger, type Database, type Logger } from '@escalable/shop-sdk/server';
import { call, listen, startTestDatabase, type TestDatabase } from '@escalable/shop-sdk/testing';
import { buildApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';
import { ensureAdmin } from '../src/domain/admin-bootstrap.js';
import { loadSigningKeys, type SigningKeys } from '../src/domain/signing-keys.js';

export { call };

export const ADMIN = { email: 'admin@shop.test', password: 'admin-password-123' };
export const SERVICE_SECRET = randomBytes(32).toString('hex');

export interface UserServiceUnderTest {
  url: string;
  db: Database;
  keys: SigningKeys;
  privateKeyPem: string;
  /** Another instance on the same database, as behind the gateway. */
  startInstance(
    env?: Record<string, string>,
    logger?: Logger,
  ): Promise<{ url: string; close(): Promise<void> }>;
}

let running: Promise<UserServiceUnderTest> | undefined;
let teardown: Array<() => Promise<void>> = [];

/** The service under test: started once per run on a real PostgreSQL, listening on real HTTP. */
export function userService(): Promise<UserServiceUnderTest> {
  return (running ??= start());
}

async function start(): Promise<UserServiceUnderTest> {
  const database: TestDatabase = await startTestDatabase('users');
  const { privateKey: privateKeyPem } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const logger = createLogger('user-service', 'silent');
  const db = openDatabase(database.url, 10, logger);
  await db.migrate();
  await ensureAdmin(ADMIN.email, ADMIN.password, logger);
  const keys = loadSigningKeys(privateKeyPem);
  const startInstance = async (env: Record<string, string> = {}, instanceLogger = logger) => {
    const config = readConfig({
      DATABASE_URL: database.url,
      SERVICE_SECRET,
      JWT_PRIVATE_KEY: privateKeyPem,
      LOG_LEVEL: 'silent',
      ...env,
    });
    return listen(buildApp({ config, db, keys, logger: instanceLogger }));
  };
  const main = await startInstance();
  teardown = [main.close, () => db.close(), database.stop];
  return { url: main.url, db, keys, privateKeyPem, startInstance };
}

after(async () => {
  for (const step of teardown) await step();
});

/** A client address of its own, as the gateway forwards it, so one test's limits never touch another's. */
export function visitorAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c! || 1}`;
}

export function uniqueEmail(prefix = 'shopper'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

export interface Registered {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export async function registerShopper(
  base: string,
  overrides: Record<string, unknown> = {},
): Promise<Registered> {
  const email = uniqueEmail();
  const password = 'correct horse battery';
  const answer = await call<{
    user: { id: string; email: string };
    tokens: { accessToken: string; refreshToken: string };
  }>(base, 'POST', '/api/auth/register', {
    body: { email, password, name: 'Ana Shopper', ...overrides },
    headers: { 'x-forwarded-for': visitorAddress() },
  });
  if (answer.status !== 201)
    throw new Error(`register failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { id: answer.body.user.id, email: answer.body.user.email, password, ...answer.body.tokens };
}

export async function countRows(
  db: Database,
  sql: string,
  replacements: Record<string, unknown> = {},
): Promise<number> {
  const [rows] = await db.sequelize.query(sql, { replacements });
  return Number((rows as Array<{ count: string }>)[0]!.count);
}
