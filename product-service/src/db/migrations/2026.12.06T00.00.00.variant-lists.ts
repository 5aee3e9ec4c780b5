import type { Migration } from '@escalable/shop-sdk/server';
import { productsTouchedByVariants } from './2026.12.01T00.00.00.listing-keys.js';
import { createStatementTriggers, dropStatementTriggers } from '../statement-triggers.js';

/**
 * Each product keeps its variants as the public sees them, stock included, in one row beside it
 * (`product_variant_lists.public_list`: the variants' JSON objects in position order, comma-joined), so
 * a public page reads 20 stored lists instead of gathering 60 variant rows and writing their stock into
 * them. At 50 000 products, the page statement of `category=…&sort=price`, prepared, ran 2 550–2 640
 * times a second gathering and 3 040–3 530 reading the lists (pgbench, 4 clients, the 2-core machine);
 * through the gateway, PostgreSQL's time per listing went 1.33–1.49 → 1.14–1.40 ms under load.
 *
 * Statement-level triggers on variants rewrite the list of every product whose variants changed in what
 * the list shows (their stored view, stock, position), in the same transaction, so it cannot disagree
 * with the variants. As `products_keep_from_price` does, they first lock the list rows in product id
 * order and only then rewrite them in a separate statement, whose snapshot sees every variant change
 * committed by whoever held the lock before. Stock changes and imports lock the lists of their products
 * right after the variants (db/stock-ledger.ts `lockingTheirLists`), so a transaction that rewrites them
 * in several statements holds them all from the start. Locks, always in this order: product rows,
 * variant rows, these rows. Reservations of different variants of one product now wait for each other
 * from their variants' lock to their commit.
 *
 * What a reservation past its expiry still holds until the sweep is free from the instant it expires;
 * a list naming a variant with such units is read the long way (db/products.ts).
 */
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE product_variant_lists (
      product_id uuid PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
      variant_ids text[] NOT NULL,
      public_list text NOT NULL
    );

    -- The product's variants as the public sees them: their ids and their JSON objects, in position order.
    CREATE FUNCTION product_variant_list(product uuid) RETURNS TABLE (variant_ids text[], public_list text)
    LANGUAGE sql STABLE AS $$
      SELECT coalesce(array_agg(v.id::text ORDER BY v.position), '{}'),
        coalesce(string_agg(v.view_head || ',"available":' || (v.on_hand - v.reserved) || '}', ','
          ORDER BY v.position), '')
      FROM variants v WHERE v.product_id = product
    $$;

    CREATE FUNCTION product_variant_lists_rewrite(touched uuid[]) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      listed uuid[];
    BEGIN
      -- A product without a list yet is one made in this transaction, which nobody else sees: its list
      -- is written as this statement reads its variants. (One made alongside waits here, then is locked.)
      WITH inserted AS (
        INSERT INTO product_variant_lists (product_id, variant_ids, public_list)
        SELECT p.id, fresh.variant_ids, fresh.public_list
        FROM products p CROSS JOIN LATERAL product_variant_list(p.id) fresh
        WHERE p.id = ANY (touched)
          AND NOT EXISTS (SELECT FROM product_variant_lists l WHERE l.product_id = p.id)
        ORDER BY p.id
        ON CONFLICT (product_id) DO NOTHING
        RETURNING product_id)
      SELECT ARRAY(SELECT unnest(touched) EXCEPT SELECT product_id FROM inserted) INTO listed;
      IF listed = '{}' THEN
        RETURN;
      END IF;
      -- The others are locked first, then rewritten by a statement that sees what their last writer
      -- committed.
      PERFORM 1 FROM product_variant_lists WHERE product_id = ANY (listed) ORDER BY product_id FOR UPDATE;
      UPDATE product_variant_lists l
      SET variant_ids = kept.variant_ids, public_list = kept.public_list
      FROM unnest(listed) t (id) CROSS JOIN LATERAL product_variant_list(t.id) kept
      WHERE l.product_id = t.id;
    END;
    $$;

    CREATE FUNCTION product_variant_lists_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      touched uuid[];
    BEGIN
${productsTouchedByVariants(['view_head', 'on_hand', 'reserved', 'position', 'product_id'])}
      IF touched IS NOT NULL THEN
        PERFORM product_variant_lists_rewrite(touched);
      END IF;
      RETURN NULL;
    END;
    $$;

    -- Named to fire after variants_from_price_*, which lock the product rows first.
    ${createStatementTriggers('variants_public_list', 'variants', 'product_variant_lists_keep')}

    SELECT product_variant_lists_rewrite(ARRAY(SELECT DISTINCT product_id FROM variants));
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ${dropStatementTriggers('variants_public_list', 'variants')}
    DROP FUNCTION product_variant_lists_keep(), product_variant_lists_rewrite(uuid[]), product_variant_list(uuid);
    DROP TABLE product_variant_lists;
  `);
};
