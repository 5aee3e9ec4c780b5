import type { Migration } from '@escalable/shop-sdk/server';
import { createStatementTriggers, dropStatementTriggers } from '../statement-triggers.js';

/**
 * The statements of a statement-level trigger on variants (transition tables `new_rows`, `old_rows`)
 * that set `touched` to the products whose variants it inserted, deleted, or changed in any of
 * `columns` (both products of a variant moved to another), or to NULL when there are none.
 */
export const productsTouchedByVariants = (columns: string[]) => {
  const of = (row: string) => `(${columns.map((column) => `${row}.${column}`).join(', ')})`;
  return `      IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT product_id) INTO touched FROM new_rows;
      ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT product_id) INTO touched FROM old_rows;
      ELSE
        SELECT array_agg(DISTINCT moved.product_id) INTO touched FROM (
          SELECT n.product_id, o.product_id AS old_product_id
          FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE ${of('n')} IS DISTINCT FROM ${of('o')}
        ) changed CROSS JOIN LATERAL (VALUES (changed.product_id), (changed.old_product_id)) moved (product_id);
      END IF;`;
};

/**
 * `from_price`'s function and its triggers, as this migration creates them (the in-stock migration
 * replaces them with one keeping both keys, and its `down` brings these back).
 */
export const KEEP_FROM_PRICE = `
    CREATE FUNCTION products_keep_from_price() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      touched uuid[];
    BEGIN
${productsTouchedByVariants(['price', 'status', 'product_id'])}
      IF touched IS NULL THEN
        RETURN NULL;
      END IF;
      PERFORM 1 FROM products WHERE id = ANY (touched) ORDER BY id FOR UPDATE;
      UPDATE products p SET from_price = kept.price
      FROM (
        SELECT t.id, (SELECT min(v.price) FROM variants v WHERE v.product_id = t.id AND v.status = 'active') AS price
        FROM unnest(touched) t (id)
      ) kept
      WHERE p.id = kept.id AND p.from_price IS DISTINCT FROM kept.price;
      RETURN NULL;
    END;
    $$;

    ${createStatementTriggers('variants_from_price', 'variants', 'products_keep_from_price')}
`;

/**
 * What a listing sorts and filters by is kept on the product row, so a page reads an index in order and
 * stops after the page instead of computing every match's lowest price.
 *
 * `from_price`, the lowest price among the product's active variants, is written by statement-level
 * triggers on variants: a bulk import of thousands of variants updates each of its products once. The
 * triggers first lock the affected product rows in id order and only then recompute the minimum in a
 * separate statement: under READ COMMITTED that statement's snapshot sees every variant change committed
 * by whoever held the lock before, so two transactions changing two variants of one product can never
 * leave a stale minimum. Stock changes (on_hand, reserved) leave prices alone and take no product lock,
 * so reservations keep locking variants only.
 */
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ALTER TABLE products ADD COLUMN from_price integer;

${KEEP_FROM_PRICE}
    UPDATE products p SET from_price = (
      SELECT min(v.price) FROM variants v WHERE v.product_id = p.id AND v.status = 'active'
    );

    -- One index per sort, each read forwards for the ascending sort and backwards for the descending
    -- one. A product with no active variant has no price; the sort keys place it last both ways. The
    -- INCLUDEd column is what the key is computed from, so a page is read from the index alone
    -- (PostgreSQL cannot read an expression's value back from an index without its column).
    DROP INDEX products_status_created;
    DROP INDEX products_status_name;
    CREATE INDEX products_status_newest ON products (status, created_at, id);
    CREATE INDEX products_status_name ON products (status, lower(name), id) INCLUDE (name);
    CREATE INDEX products_status_price ON products (status, coalesce(from_price, 2147483648), id)
      INCLUDE (from_price);
    CREATE INDEX products_status_price_desc ON products (status, coalesce(from_price, -1), id)
      INCLUDE (from_price);
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(`
    DROP INDEX products_status_price_desc, products_status_price, products_status_newest, products_status_name;
    CREATE INDEX products_status_created ON products (status, created_at DESC, id);
    CREATE INDEX products_status_name ON products (status, lower(name), id);
    ${dropStatementTriggers('variants_from_price', 'variants')}
    DROP FUNCTION products_keep_from_price();
    ALTER TABLE products DROP COLUMN from_price;
  `);
};
