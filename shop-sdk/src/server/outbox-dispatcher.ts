import { fullJitterGenerator } from 'cockatiel';
import type { Registry } from 'prom-client';
import type { Sequelize } from 'sequelize';
import type { Logger } from 'pino';
import type { ServiceName } from '../auth/service-token.js';
import type { HttpClient } from '../http/client.js';
import { Problem, type ProblemDetails } from '../problem.js';
import { registerOutboxGauges } from './outbox-metrics.js';
import {
  claimDueOutboxRows,
  deleteDeliveredOutboxRows,
  makeOutboxRetriesDue,
  markOutboxRowDelivered,
  markOutboxRowFailedAttempt,
  outboxTable,
  readOutboxStats,
  type ClaimedOutboxRow,
} from './outbox-rows.js';
import { startPeriodicJob } from './periodic-job.js';

export interface OutboxDispatcherOptions {
  sequelize: Sequelize;
  /** The client for a row's target (one per target, built once: its circuit breaker must persist). */
  clientFor: (target: ServiceName) => HttpClient;
  logger: Logger;
  /** Default `outbox`. */
  table?: string;
  /**
   * Pause between rounds; a round that claimed a full batch claims the next one at once, and a commit
   * that wrote rows in this process starts one at once. Default 1 000.
   */
  intervalMs?: number;
  /** Rows claimed, and sent concurrently, at a time. Default 20. */
  batchSize?: number;
  /** Attempts before a row is failed for good. Default 25 (about two hours with the default backoff). */
  maxAttempts?: number;
  /** Exponential backoff with full jitter: the wait after attempt n is random in [0, min(max, initial·2ⁿ⁻¹)). */
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  /**
   * How long a claimed row stays hidden from other dispatchers; longer than the client's slowest
   * send with its own retries, or a slow send could be repeated (the target's idempotency absorbs it).
   * Default 60 000.
   */
  leaseMs?: number;
  /**
   * How long a delivered row is kept before it is deleted; pending and failed rows are kept. While a
   * row is kept, enqueueing its idempotency key again adds nothing; after, it would be a new message.
   * Default 7 days.
   */
  retentionMs?: number;
  /** Where `outbox_pending` and `outbox_oldest_pending_age_seconds` are registered (the service's). */
  registry?: Registry;
}

export interface OutboxDispatcher {
  /** Stops claiming and waits for the sends in progress to be recorded. */
  stop(): Promise<void>;
}

const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** Delivered rows deleted per round at most: short statements, and a backlog drains over rounds. */
const PRUNE_BATCH_SIZE = 500;

/** Client errors that say "not now" rather than "never": timeout, conflict with a request in flight, too early, too many. */
const RETRYABLE_CLIENT_STATUS = new Set([408, 409, 425, 429]);

/**
 * Delivers the outbox: on a timer in every instance, claims due rows (`FOR UPDATE SKIP LOCKED`, so
 * instances share the work and never hold one row at once), sends each through the target's client
 * with the row's idempotency key, and records the outcome. A 4xx answer is final (failed, with the
 * problem); anything else (5xx, 408/409/425/429, no answer) is retried later with backoff, and after
 * `maxAttempts` the row is failed with the last problem. Rows committed in this process start a round
 * at once rather than waiting for the timer. A send a target takes makes that target's rows waiting
 * after finding it down due at once, so they follow in the next rounds. Once an interval, a round also
 * deletes a batch of rows delivered longer ago than `retentionMs`, so the table holds about that much
 * history, not all of it.
 */
export function startOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { sequelize, clientFor, logger, registry } = options;
  const table = outboxTable(options.table);
  const batchSize = options.batchSize ?? 20;
  const maxAttempts = options.maxAttempts ?? 25;
  const leaseMs = options.leaseMs ?? 60_000;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const { initialDelayMs, maxDelayMs } = options.backoff ?? { initialDelayMs: 1_000, maxDelayMs: 900_000 };
  const retryDelayMs = (attempts: number) =>
    fullJitterGenerator(attempts - 1, {
      generator: fullJitterGenerator,
      initialDelay: initialDelayMs,
      maxDelay: maxDelayMs,
      exponent: 2,
    })[0];

  if (registry) registerOutboxGauges(registry, () => readOutboxStats(sequelize, table), logger);

  /** Sends a row and records the outcome; answers whether the target took it. */
  const deliver = async (row: ClaimedOutboxRow): Promise<boolean> => {
    const about = { outboxId: row.id, target: row.target, path: row.path, attempts: row.attempts };
    try {
      await clientFor(row.target).request({
        method: row.method,
        path: row.path,
        body: row.body ?? undefined,
        idempotencyKey: row.idempotencyKey,
      });
    } catch (error) {
      const problem = problemDetailsOf(error);
      const final = isFinal(problem) || row.attempts >= maxAttempts;
      const retryInMs = final ? null : retryDelayMs(row.attempts);
      await markOutboxRowFailedAttempt(sequelize, table, row, problem, retryInMs);
      if (final) logger.error({ ...about, problem }, 'outbox message failed');
      else logger.warn({ ...about, problem, retryInMs }, 'outbox message not delivered; retrying');
      return false;
    }
    await markOutboxRowDelivered(sequelize, table, row);
    logger.debug(about, 'outbox message delivered');
    return true;
  };

  /**
   * A target that took a message is up again: its rows still waiting out backoffs drawn while it was
   * down go in the next rounds, batch by batch, rather than up to `maxDelayMs` after its return.
   */
  const catchUpWith = async (targets: ServiceName[]) => {
    if (targets.length === 0) return;
    const madeDue = await makeOutboxRetriesDue(sequelize, table, targets);
    if (madeDue > 0)
      logger.info({ targets, madeDue }, 'outbox target answering again; its waiting messages are due');
  };

  const intervalMs = options.intervalMs ?? 1_000;
  let stopping = false;
  // Rounds come as often as commits do; the pruning keeps to the interval.
  let pruneDueAt = 0;
  const job = startPeriodicJob({
    name: `${table} dispatcher`,
    intervalMs,
    wakeOnCommit: { sequelize, table },
    logger,
    run: async () => {
      let claimed: ClaimedOutboxRow[];
      do {
        claimed = await claimDueOutboxRows(sequelize, table, batchSize, leaseMs);
        const answering = new Set<ServiceName>();
        // Every send is recorded before the round ends, even when another one's record failed.
        const results = await Promise.allSettled(
          claimed.map(async (row) => {
            if (await deliver(row)) answering.add(row.target);
          }),
        );
        const failure = results.find((result) => result.status === 'rejected');
        if (failure) throw failure.reason;
        await catchUpWith([...answering]);
      } while (claimed.length === batchSize && !stopping);
      if (Date.now() < pruneDueAt) return;
      pruneDueAt = Date.now() + intervalMs;
      await deleteDeliveredOutboxRows(sequelize, table, retentionMs, PRUNE_BATCH_SIZE);
    },
  });
  return {
    async stop() {
      stopping = true;
      await job.stop();
    },
  };
}

function problemDetailsOf(error: unknown): ProblemDetails {
  if (error instanceof Problem) return error.toJSON();
  return {
    type: 'about:blank',
    title: 'The message could not be sent',
    status: 500,
    detail: (error as Error)?.message ?? String(error),
  };
}

function isFinal(problem: ProblemDetails): boolean {
  return problem.status >= 400 && problem.status < 500 && !RETRYABLE_CLIENT_STATUS.has(problem.status);
}
