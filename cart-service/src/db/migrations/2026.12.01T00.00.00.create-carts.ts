import type { Migration } from '@escalable/shop-sdk/server';

// One multi-statement query runs as one transaction in PostgreSQL: the schema appears whole or not at all.
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE carts (
      id uuid PRIMARY KEY,
      -- A cart belongs to a customer or to whoever holds its guest token, never both.
      customer_id uuid,
      -- SHA-256 of the guest token, hex: a copy of the database does not open anyone's cart.
      token_hash char(64),
      status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'converted')),
      order_id varchar(64),
      -- A merged guest cart remembers whom it went to and what was capped, so a repeat answers the same.
      merged_into_customer uuid,
      merge_report jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- When the lines last changed (what the shopper sees), apart from when the cart was last used
      -- (what guest-cart expiry counts from; a read counts too).
      updated_at timestamptz NOT NULL DEFAULT now(),
      last_active_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((customer_id IS NULL) <> (token_hash IS NULL)),
      CHECK ((status = 'converted') = (order_id IS NOT NULL)),
      CHECK (status <> 'converted' OR customer_id IS NOT NULL),
      CHECK (status <> 'merged' OR customer_id IS NULL),
      CHECK ((status = 'merged') = (merged_into_customer IS NOT NULL) AND (status = 'merged') = (merge_report IS NOT NULL))
    );
    -- The customer's one active cart; converted ones stay for order history.
    CREATE UNIQUE INDEX carts_one_active_per_customer ON carts (customer_id) WHERE status = 'active';
    CREATE UNIQUE INDEX carts_guest_token ON carts (token_hash) WHERE token_hash IS NOT NULL;
    CREATE INDEX carts_guest_inactivity ON carts (last_active_at) WHERE customer_id IS NULL;

    CREATE TABLE cart_lines (
      cart_id uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
      variant_id uuid NOT NULL,
      quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
      -- The price the shopper last saw and accepted (when added, re-added or changed), so a change
      -- since is flagged instead of applied silently.
      unit_price integer NOT NULL CHECK (unit_price >= 0),
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (cart_id, variant_id)
    );
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query('DROP TABLE cart_lines, carts');
};
