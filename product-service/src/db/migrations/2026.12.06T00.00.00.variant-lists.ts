import type { Migration } from '@escalable/shop-sdk/server';

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

    CREATE FUNCTION product_variant_lists_rewrite(touched uuid[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      -- The first variants of a product have no list to lock yet: one is made to lock, or waited for.
      INSERT INTO product_variant_lists (product_id, variant_ids, public_list)
      SELECT p.id, '{}', '' FROM products p WHERE p.id = ANY (touched) ORDER BY p.id
      ON CONFLICT (product_id) DO NOTHING;
      PERFORM 1 FROM product_variant_lists WHERE product_id = ANY (touched) ORDER BY product_id FOR UPDATE;
      UPDATE product_variant_lists l
      SET variant_ids = coalesce(listed.ids, '{}'), public_list = coalesce(listed.list, '')
      FROM unnest(touched) t (id)
      LEFT JOIN LATERAL (
        SELECT array_agg(v.id::text ORDER BY v.position) AS ids,
          string_agg(v.view_head || ',"available":' || (v.on_hand - v.reserved) || '}', ',' ORDER BY v.position)
            AS list
        FROM variants v WHERE v.product_id = t.id
      ) listed ON true
      WHERE l.product_id = t.id;
    END;
    $$;

    CREATE FUNCTION product_variant_lists_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      touched uuid[];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT product_id) INTO touched FROM new_rows;
      ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT product_id) INTO touched FROM old_rows;
      ELSE
        SELECT array_agg(DISTINCT moved.product_id) INTO touched FROM (
          SELECT n.product_id, o.product_id AS old_product_id
          FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE (n.view_head, n.on_hand, n.reserved, n.position, n.product_id)
            IS DISTINCT FROM (o.view_head, o.on_hand, o.reserved, o.position, o.product_id)
        ) changed CROSS JOIN LATERAL (VALUES (changed.product_id), (changed.old_product_id)) moved (product_id);
      END IF;
      IF touched IS NOT NULL THEN
        PERFORM product_variant_lists_rewrite(touched);
      END IF;
      RETURN NULL;
    END;
    $$;

    -- Named to fire after variants_from_price_*, which lock the product rows first.
    CREATE TRIGGER variants_public_list_insert AFTER INSERT ON variants
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_variant_lists_keep();
    CREATE TRIGGER variants_public_list_update AFTER UPDATE ON variants
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION product_variant_lists_keep();
    CREATE TRIGGER variants_public_list_delete AFTER DELETE ON variants
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION product_variant_lists_keep();

    SELECT product_variant_lists_rewrite(ARRAY(SELECT DISTINCT product_id FROM variants));
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(`
    DROP TRIGGER variants_public_list_delete ON variants;
    DROP TRIGGER variants_public_list_update ON variants;
    DROP TRIGGER variants_public_list_insert ON variants;
    DROP FUNCTION product_variant_lists_keep(), product_variant_lists_rewrite(uuid[]);
    DROP TABLE product_variant_lists;
  `);
};
