import type { Migration } from '@escalable/shop-sdk/server';

// One multi-statement query runs as one transaction in PostgreSQL: the schema appears whole or not at all.
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE orders (
      id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      status varchar(16) NOT NULL CHECK (status IN ('pending_payment', 'paid', 'processing', 'shipped',
        'delivered', 'cancelled', 'payment_failed', 'refunded', 'failed')),
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      total integer NOT NULL CHECK (total >= 0),
      item_count integer NOT NULL CHECK (item_count > 0),
      shipping_address jsonb NOT NULL,
      cart_id uuid NOT NULL,
      payment_id varchar(64),
      checkout_url text,
      expires_at timestamptz NOT NULL,
      status_reason text,
      -- A paid order that is cancelled waits for payment-service to confirm the refund.
      refund_requested boolean NOT NULL DEFAULT false,
      carrier varchar(100),
      tracking_number varchar(100),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX orders_customer_created ON orders (customer_id, created_at DESC);
    CREATE INDEX orders_status_created ON orders (status, created_at DESC);
    CREATE INDEX orders_unpaid_expiry ON orders (expires_at) WHERE status = 'pending_payment';

    CREATE TABLE order_lines (
      order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
      position smallint NOT NULL,
      variant_id uuid NOT NULL,
      product_id uuid NOT NULL,
      product_name text NOT NULL,
      sku text NOT NULL,
      options jsonb NOT NULL,
      quantity integer NOT NULL CHECK (quantity > 0),
      unit_price integer NOT NULL CHECK (unit_price >= 0),
      PRIMARY KEY (order_id, position)
    );

    CREATE TABLE order_status_changes (
      id bigserial PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
      from_status varchar(16),
      to_status varchar(16) NOT NULL,
      actor text NOT NULL,
      reason text,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX order_status_changes_order ON order_status_changes (order_id, id);

    -- A checkout's Idempotency-Key, claimed before any work: the primary key lets one request of a
    -- race do the checkout while the others wait for its stored answer.
    CREATE TABLE checkout_keys (
      customer_id uuid NOT NULL,
      idempotency_key varchar(200) NOT NULL,
      request_hash char(64) NOT NULL,
      response_status smallint,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (customer_id, idempotency_key)
    );
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query('DROP TABLE checkout_keys, order_status_changes, order_lines, orders');
};
