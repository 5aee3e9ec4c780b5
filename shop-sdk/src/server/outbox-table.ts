import type { QueryInterface } from 'sequelize';
import { outboxTable } from './outbox-rows.js';

export interface OutboxTableOptions {
  /** Default `outbox`. */
  table?: string;
}

/**
 * Creates the outbox table; a service calls it from its own migration, so the table lives in the
 * service's database next to the rows whose transaction writes to it.
 */
export async function createOutboxTable(
  queryInterface: QueryInterface,
  options: OutboxTableOptions = {},
): Promise<void> {
  const table = outboxTable(options.table);
  await queryInterface.sequelize.query(`
    CREATE TABLE "${table}" (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      target text NOT NULL,
      method text NOT NULL CONSTRAINT ${table}_method_check CHECK (method IN ('POST', 'PUT', 'PATCH', 'DELETE')),
      path text NOT NULL CONSTRAINT ${table}_path_check CHECK (path LIKE '/%'),
      body jsonb,
      idempotency_key text NOT NULL CONSTRAINT ${table}_idempotency_key_unique UNIQUE,
      status text NOT NULL DEFAULT 'pending'
        CONSTRAINT ${table}_status_check CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    );
    CREATE INDEX ${table}_status_next_attempt_at ON "${table}" (status, next_attempt_at);
  `);
}

export async function dropOutboxTable(
  queryInterface: QueryInterface,
  options: OutboxTableOptions = {},
): Promise<void> {
  await queryInterface.sequelize.query(`DROP TABLE IF EXISTS "${outboxTable(options.table)}"`);
}
