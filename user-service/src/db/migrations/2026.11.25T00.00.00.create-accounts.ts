import type { Migration } from '@escalable/shop-sdk/server';

// One multi-statement query runs as one transaction in PostgreSQL: the schema appears whole or not at all.
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE users (
      id uuid PRIMARY KEY,
      email varchar(254) NOT NULL,
      name varchar(100) NOT NULL,
      phone varchar(20),
      locale varchar(2) NOT NULL DEFAULT 'es' CHECK (locale IN ('es', 'en')),
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- E-mails are unique whatever their case.
    CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
    CREATE INDEX users_created_at ON users (created_at);

    CREATE TABLE user_roles (
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role varchar(32) NOT NULL CHECK (role IN ('customer', 'admin')),
      PRIMARY KEY (user_id, role)
    );
    CREATE INDEX user_roles_role ON user_roles (role);

    CREATE TABLE shipping_addresses (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      position smallint NOT NULL,
      label varchar(50),
      recipient varchar(100) NOT NULL,
      line1 varchar(200) NOT NULL,
      line2 varchar(200),
      city varchar(100) NOT NULL,
      region varchar(100),
      postal_code varchar(20) NOT NULL,
      country char(2) NOT NULL,
      phone varchar(20),
      is_default boolean NOT NULL DEFAULT false,
      UNIQUE (user_id, position)
    );
    CREATE UNIQUE INDEX shipping_addresses_one_default ON shipping_addresses (user_id) WHERE is_default;

    -- Refresh tokens are kept only as SHA-256 hashes; a family is one login's chain of rotations.
    CREATE TABLE refresh_tokens (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      family_id uuid NOT NULL,
      token_hash char(64) NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      rotated_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
    CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

    -- rate-limiter-flexible's PostgreSQL layout: failed-login counters shared by every instance.
    CREATE TABLE login_failures (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    );
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(
    'DROP TABLE login_failures, refresh_tokens, shipping_addresses, user_roles, users'
  );
};
