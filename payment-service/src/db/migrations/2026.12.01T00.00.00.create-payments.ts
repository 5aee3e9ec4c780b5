import type { Migration } from '@escalable/shop-sdk/server';

// One multi-statement query runs as one transaction in PostgreSQL: the schema appears whole or not at all.
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE payments (
      id uuid PRIMARY KEY,
      order_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      -- The caller's Idempotency-Key and a hash of its request: a repeat answers this payment, another
      -- request with the same key is refused.
      idempotency_key varchar(200) NOT NULL CONSTRAINT payments_idempotency_key_unique UNIQUE,
      request_hash char(64) NOT NULL,
      preference_id text NOT NULL,
      checkout_url text NOT NULL,
      amount integer NOT NULL CHECK (amount > 0),
      currency char(3) NOT NULL,
      refunded_amount integer NOT NULL DEFAULT 0 CHECK (refunded_amount BETWEEN 0 AND amount),
      status varchar(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_process', 'approved',
        'rejected', 'cancelled', 'refunded', 'partially_refunded', 'charged_back', 'expired')),
      provider_payment_id text,
      expires_at timestamptz NOT NULL,
      -- When reconciliation may read this payment from MercadoPago next (claims move it ahead).
      reconcile_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- One order never has two checkouts that can still take (or already hold) the buyer's money.
    CREATE UNIQUE INDEX payments_one_live_per_order ON payments (order_id)
      WHERE status IN ('pending', 'in_process', 'approved', 'partially_refunded');
    CREATE INDEX payments_order ON payments (order_id, created_at);
    CREATE INDEX payments_unsettled ON payments (reconcile_at) WHERE status IN ('pending', 'in_process');

    -- What happened to a payment, oldest first: provider events, status changes, refunds.
    CREATE TABLE payment_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      payment_id uuid NOT NULL REFERENCES payments (id),
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      source varchar(16) NOT NULL CHECK (source IN ('provider', 'webhook', 'reconciliation', 'service')),
      status varchar(20) NOT NULL,
      detail text,
      provider_payment_id text
    );
    CREATE INDEX payment_events_payment ON payment_events (payment_id, id);

    CREATE TABLE refunds (
      id uuid PRIMARY KEY,
      payment_id uuid NOT NULL REFERENCES payments (id),
      idempotency_key varchar(200) NOT NULL,
      request_hash char(64) NOT NULL,
      amount integer NOT NULL CHECK (amount > 0),
      reason text NOT NULL,
      -- requested: counted against what remains while MercadoPago is asked; done: MercadoPago refunded it.
      status varchar(10) NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'done')),
      provider_refund_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT refunds_key_unique UNIQUE (payment_id, idempotency_key)
    );

    -- Webhooks as received (signature checked), read from MercadoPago by a periodic job: the answer to
    -- MercadoPago never waits for its API.
    CREATE TABLE webhook_events (
      id uuid PRIMARY KEY,
      request_id text,
      topic text NOT NULL,
      data_id text NOT NULL,
      body jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      processed_at timestamptz,
      last_error text
    );
    CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at) WHERE processed_at IS NULL;
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query('DROP TABLE webhook_events, refunds, payment_events, payments');
};
