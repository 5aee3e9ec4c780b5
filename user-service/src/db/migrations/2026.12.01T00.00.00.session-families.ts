import type { Migration } from '@escalable/shop-sdk/server';

// A sign-in's refresh tokens are revoked through one row, its family: rotation, sign-out, reuse
// detection, password and role changes all lock that row, so none of them can slip past another.
// Families that already had a revoked token are revoked whole: a live token beside a revoked one is
// what the old per-token revocation left behind when it raced a refresh.
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE session_families (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );
    CREATE INDEX session_families_user ON session_families (user_id) WHERE revoked_at IS NULL;

    INSERT INTO session_families (id, user_id, created_at, revoked_at)
      SELECT family_id, user_id, min(created_at),
             CASE WHEN bool_or(revoked_at IS NOT NULL) THEN coalesce(max(revoked_at), now()) END
        FROM refresh_tokens GROUP BY family_id, user_id;

    ALTER TABLE refresh_tokens
      ADD CONSTRAINT refresh_tokens_family_fk
        FOREIGN KEY (family_id) REFERENCES session_families (id) ON DELETE CASCADE,
      DROP COLUMN revoked_at;
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ALTER TABLE refresh_tokens ADD COLUMN revoked_at timestamptz, DROP CONSTRAINT refresh_tokens_family_fk;
    UPDATE refresh_tokens t SET revoked_at = f.revoked_at
      FROM session_families f WHERE f.id = t.family_id AND f.revoked_at IS NOT NULL;
    DROP TABLE session_families;
  `);
};
