import type { Sequelize, Transaction } from 'sequelize';
import { isServiceName, type ServiceName } from '../auth/service-token.js';
import { insertOutboxRow, OUTBOX_METHODS, outboxTable, type OutboxMethod } from './outbox-rows.js';
import { wakeAfterCommit } from './commit-wake.js';

/** A call to another service that must happen once the caller's transaction commits. */
export interface OutboxMessage {
  target: ServiceName;
  method: OutboxMethod;
  /** Path on the target, with its query if any (`/internal/notifications`). */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Sent as `Idempotency-Key` on every attempt, so the target does the work once however often the
   * row is sent. Derive it from what the message is about (`welcome:<userId>`), 1 to 200 characters.
   */
  idempotencyKey: string;
}

export interface EnqueueOutboxOptions {
  /** Default `outbox`. */
  table?: string;
}

/**
 * Writes a message to the outbox within the caller's transaction, so it is sent if and only if the
 * caller's own rows commit; a dispatcher of this process sends it right after the commit. A second
 * message with the same idempotency key is the same message: nothing is added, and the answer is false.
 */
export async function enqueueOutbox(
  transaction: Transaction,
  message: OutboxMessage,
  options: EnqueueOutboxOptions = {},
): Promise<boolean> {
  assertOutboxMessage(message);
  const sequelize = sequelizeOf(transaction);
  const table = outboxTable(options.table);
  const added = await insertOutboxRow(sequelize, transaction, table, {
    target: message.target,
    method: message.method,
    path: message.path,
    body: message.body,
    idempotencyKey: message.idempotencyKey,
  });
  if (added) wakeAfterCommit(transaction, table);
  return added;
}

/** A malformed message is the calling code's mistake; it fails the transaction rather than a send later. */
function assertOutboxMessage(message: OutboxMessage): void {
  const { target, method, path, idempotencyKey } = message;
  if (!isServiceName(target)) throw new Error(`outbox: "${String(target)}" is not a shop service`);
  if (!OUTBOX_METHODS.includes(method))
    throw new Error(`outbox: ${String(method)} is not sent through the outbox`);
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new Error('outbox: the path must start with /');
  if (typeof idempotencyKey !== 'string' || idempotencyKey.length < 1 || idempotencyKey.length > 200)
    throw new Error('outbox: the idempotency key must have 1 to 200 characters');
}

/** Sequelize's types leave out the instance a transaction belongs to; every transaction has it. */
function sequelizeOf(transaction: Transaction): Sequelize {
  return (transaction as unknown as { sequelize: Sequelize }).sequelize;
}
