import type { Migration } from '@escalable/shop-sdk/server';

// One multi-statement query runs as one transaction in PostgreSQL: the schema appears whole or not at all.
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      -- The caller's key: a repeat answers the stored notification instead of sending again.
      idempotency_key varchar(200) NOT NULL UNIQUE,
      -- SHA-256 of the request as stored, so a repeat of the key with another body is told apart.
      request_hash char(64) NOT NULL,
      caller varchar(64) NOT NULL,
      type varchar(32) NOT NULL,
      -- The shop's user, whose contact is read when sending; null for a bare address.
      user_id uuid,
      -- A bare address as given ({email, phone, name}); null for a user.
      address jsonb,
      channels varchar(8)[] NOT NULL,
      data jsonb NOT NULL,
      -- Null: the user's profile locale, read when sending.
      locale varchar(2) CHECK (locale IN ('es', 'en')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((user_id IS NULL) <> (address IS NULL))
    );
    CREATE INDEX notifications_user_history ON notifications (user_id, created_at DESC, id)
      WHERE user_id IS NOT NULL;

    CREATE TABLE deliveries (
      id uuid PRIMARY KEY,
      notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
      channel varchar(8) NOT NULL CHECK (channel IN ('email', 'sms')),
      status varchar(16) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'skipped')),
      -- The e-mail address or phone number it went to, once the contact was read.
      recipient varchar(320),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      -- When a pending delivery is due; when a sending one's lease ends and another instance may take it.
      next_attempt_at timestamptz,
      last_error varchar(500),
      -- The e-mail Message-ID or Twilio's message SID: status callbacks find the delivery by it.
      provider_id varchar(255),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (notification_id, channel),
      CHECK (status NOT IN ('pending', 'sending') OR next_attempt_at IS NOT NULL)
    );
    CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('pending', 'sending');
    CREATE INDEX deliveries_provider_id ON deliveries (provider_id) WHERE provider_id IS NOT NULL;
    CREATE INDEX deliveries_log ON deliveries (created_at DESC, id);
    CREATE INDEX deliveries_recipient ON deliveries (recipient);
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query('DROP TABLE deliveries, notifications');
};
