import type { Migration } from '@escalable/shop-sdk/server';

// One multi-statement query runs as one transaction in PostgreSQL: applied whole or not at all.
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    -- Every delivery of one notification (MercadoPago's retries, a replay of a captured one while its
    -- signature is fresh) carries the same x-request-id: it is stored once. Twins stored before this
    -- keep their rows with the id cleared, so the index can be built over them.
    UPDATE webhook_events SET request_id = NULL
    WHERE id IN (
      SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY request_id ORDER BY received_at, id) AS nth
        FROM webhook_events WHERE request_id IS NOT NULL
      ) AS twins
      WHERE nth > 1
    );
    CREATE UNIQUE INDEX webhook_events_request_id_unique ON webhook_events (request_id);

    -- Processed events are deleted once past the dedupe window, oldest first.
    CREATE INDEX webhook_events_processed ON webhook_events (received_at) WHERE processed_at IS NOT NULL;
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query('DROP INDEX webhook_events_processed, webhook_events_request_id_unique');
};
