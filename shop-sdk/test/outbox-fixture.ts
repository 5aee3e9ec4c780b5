import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Request, type Response } from 'express';
import pg from 'pg';
import { Sequelize } from 'sequelize';
import { HttpClient } from '../src/internal.js';
import {
  createLogger,
  createOutboxTable,
  enqueueOutbox,
  startOutboxDispatcher,
  type OutboxDispatcher,
  type OutboxDispatcherOptions,
  type OutboxMessage,
} from '../src/server/index.js';
import { freePort, startTestDatabase } from '../src/testing/index.js';

export const logger = createLogger('outbox-test', 'silent');

/** A logger whose lines a test reads back. */
export function loggerWithLines() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('outbox-test', 'info', destination) };
}

/** Stand-ins of the running test, taken down after it. */
const standIns: Array<{ down(): Promise<void> }> = [];

/**
 * A real PostgreSQL with an outbox table, for one test file: emptied before each test, and every
 * dispatcher and stand-in a test starts is stopped after it.
 */
export function outboxDatabase(name: string) {
  const state: { sequelize?: Sequelize; url?: string } = {};
  const dispatchers: OutboxDispatcher[] = [];
  let stopDatabase: () => Promise<void> = async () => {};

  before(async () => {
    const database = await startTestDatabase(name);
    stopDatabase = database.stop;
    state.url = database.url;
    state.sequelize = openSequelize(database.url);
    await createOutboxTable(state.sequelize.getQueryInterface());
  });
  beforeEach(async () => {
    await state.sequelize!.query('TRUNCATE outbox');
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.stop()));
    await Promise.all(standIns.splice(0).map((standIn) => standIn.down()));
  });
  after(async () => {
    await state.sequelize?.close();
    await stopDatabase();
  });

  return {
    get sequelize() {
      return state.sequelize!;
    },
    /** Another pool on the same database, as a second instance of the service would have. */
    openAnotherPool(): Sequelize {
      return openSequelize(state.url!);
    },
    /** A dispatcher polling every 5 ms with short backoff, stopped after the test. */
    startDispatcher(options: Partial<OutboxDispatcherOptions> & Pick<OutboxDispatcherOptions, 'clientFor'>) {
      const dispatcher = startOutboxDispatcher({
        sequelize: state.sequelize!,
        logger,
        intervalMs: 5,
        backoff: { initialDelayMs: 20, maxDelayMs: 2_000 },
        ...options,
      });
      dispatchers.push(dispatcher);
      return dispatcher;
    },
  };
}

function openSequelize(url: string): Sequelize {
  return new Sequelize(url, { dialect: 'postgres', dialectModule: pg, logging: false, pool: { max: 5 } });
}

export function welcomeMessage(userId: string): OutboxMessage {
  return {
    target: 'notification-service',
    method: 'POST',
    path: '/internal/notifications',
    body: { type: 'welcome', recipient: { userId }, channels: ['email', 'sms'], data: { name: 'Ana' } },
    idempotencyKey: `welcome:${userId}`,
  };
}

/** Commits the messages in one transaction of the caller's. */
export async function enqueueCommitted(sequelize: Sequelize, messages: OutboxMessage[]): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    for (const message of messages) await enqueueOutbox(transaction, message);
  });
}

export interface Arrival {
  /** When the request arrived and when its answer was sent (performance.now()). */
  at: number;
  answeredAt: number;
  key: string;
  body: unknown;
  headers: Record<string, unknown>;
  status: number;
}

/**
 * notification-service stood in on a port of its own: it answers with `answer` (changeable while the
 * test runs), records every request, and can be taken down and brought back on the same port.
 */
export async function notificationStandIn(answer: (req: Request, res: Response) => void) {
  const port = await freePort();
  const arrivals: Arrival[] = [];
  const standIn = {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    answer,
    server: undefined as Server | undefined,
    /** Requests answered with this status, per idempotency key. */
    countsByKey(status: number): Map<string, number> {
      const counts = new Map<string, number>();
      for (const arrival of arrivals.filter((one) => one.status === status))
        counts.set(arrival.key, (counts.get(arrival.key) ?? 0) + 1);
      return counts;
    },
    async up() {
      const app = express();
      app.use(express.json());
      app.post('/internal/notifications', (req, res) => {
        const at = performance.now();
        res.on('finish', () =>
          arrivals.push({
            at,
            answeredAt: performance.now(),
            key: String(req.headers['idempotency-key']),
            body: req.body,
            headers: req.headers,
            status: res.statusCode,
          }),
        );
        standIn.answer(req, res);
      });
      const server = app.listen(port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
      });
      standIn.server = server;
    },
    async down() {
      const server = standIn.server;
      standIn.server = undefined;
      await new Promise<void>((resolve) => {
        server?.close(() => resolve());
        server?.closeAllConnections();
        if (!server) resolve();
      });
    },
  };
  standIns.push(standIn);
  return standIn;
}

export const accept = (_req: Request, res: Response) => {
  res.status(202).json({ id: 'n-1', type: 'welcome', deliveries: [] });
};

/** A client to the stand-in that does not retry by itself, so each request it receives is one outbox attempt. */
export function singleAttemptClient(url: string): HttpClient {
  return new HttpClient({
    name: 'notification-service',
    baseUrl: url,
    maxRetries: 0,
    breaker: { failures: 1_000, halfOpenAfterMs: 10 },
  });
}

/** Waits for what must happen; the allowance only bounds a failing test, so it covers a loaded machine. */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

export async function outboxRows(sequelize: Sequelize) {
  const [rows] = await sequelize.query(
    `SELECT idempotency_key AS key, status, attempts, last_error AS "lastError", delivered_at AS "deliveredAt"
     FROM outbox ORDER BY created_at, idempotency_key`,
  );
  return rows as Array<{
    key: string;
    status: string;
    attempts: number;
    lastError: Record<string, unknown> | null;
    deliveredAt: Date | null;
  }>;
}
