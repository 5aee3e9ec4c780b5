import type { Migration } from '@escalable/shop-sdk/server';
import { PRODUCTS_OF_CHANGED_LINKS } from './2026.12.02T00.00.00.category-listings.js';
import { createStatementTriggers, dropStatementTriggers } from '../statement-triggers.js';

/**
 * Each product linked to categories keeps their list as it shows it (`product_category_lists.list`: the
 * categories' stored views in name order, as a JSON array), so a page of 20 reads 20 stored lists
 * instead of probing its products' links, reading their categories and grouping them: at 50 000
 * products the page statement of `category=…&sort=price` took 0.41 → 0.35 ms a run (pgbench, one
 * client) and PostgreSQL's time per listing under load 0.66 → 0.50 ms, together with the uncounted
 * totals of db/product-listing.ts.
 *
 * Kept in the same transaction as every change it shows: a product's links (statement triggers on
 * `product_categories`, after the category_listings ones) and a category's stored view (its name, slug
 * or parent: a trigger on `categories` rewrites the list of every product linked to it, so renaming a
 * category of 50 000 products rewrites 50 000 lists). A product without links has no row; it shows `[]`.
 *
 * The rows sit apart from the products' and from their variant lists because of who locks what: a
 * category change holds the category tree's advisory lock alone (`lockCategoryTree`) while it rewrites
 * these rows, and reservations, which hold product rows and variant lists, may then wait for that lock
 * (a stock change that turns `in_stock` re-derives category_listings under it, shared). Links change
 * with the tree held shared (the category_listings triggers take it first), so nobody holds one of
 * these rows while waiting for the tree, and a category change sees every link committed before it.
 */
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE product_category_lists (
      product_id uuid PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
      list text NOT NULL
    );

    -- The product's categories as it shows them; none when it has no links.
    CREATE FUNCTION product_category_list(product uuid) RETURNS text LANGUAGE sql STABLE AS $$
      SELECT '[' || string_agg(c.view_json, ',' ORDER BY c.name) || ']'
      FROM product_categories pc JOIN categories c ON c.id = pc.category_id
      WHERE pc.product_id = product
    $$;

    -- Makes the lists of these products what their links and categories say, in product id order.
    CREATE FUNCTION product_category_lists_rewrite(touched uuid[]) RETURNS void LANGUAGE sql AS $$
      WITH fresh AS (
        SELECT t.id, product_category_list(t.id) AS list FROM unnest(touched) t (id)
      ),
      unlinked AS (
        DELETE FROM product_category_lists l USING fresh
        WHERE l.product_id = fresh.id AND fresh.list IS NULL
      )
      INSERT INTO product_category_lists AS l (product_id, list)
      SELECT fresh.id, fresh.list FROM fresh WHERE fresh.list IS NOT NULL ORDER BY fresh.id
      ON CONFLICT (product_id) DO UPDATE SET list = excluded.list WHERE l.list <> excluded.list;
    $$;

    CREATE FUNCTION product_category_lists_keep_links() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      touched uuid[];
    BEGIN
${PRODUCTS_OF_CHANGED_LINKS}
      IF touched IS NOT NULL THEN
        PERFORM product_category_lists_rewrite(touched);
      END IF;
      RETURN NULL;
    END;
    $$;

    CREATE FUNCTION product_category_lists_keep_views() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      touched uuid[];
    BEGIN
      SELECT array_agg(DISTINCT pc.product_id) INTO touched
      FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN product_categories pc ON pc.category_id = n.id
      WHERE n.view_json IS DISTINCT FROM o.view_json;
      IF touched IS NOT NULL THEN
        PERFORM product_category_lists_rewrite(touched);
      END IF;
      RETURN NULL;
    END;
    $$;

    -- Named to fire after product_categories_listings_* and categories_listings_update, which take the
    -- product rows and the tree's lock (shared for links, alone for a category) before these rows.
    ${createStatementTriggers('product_categories_lists', 'product_categories', 'product_category_lists_keep_links')}
    ${createStatementTriggers('categories_lists', 'categories', 'product_category_lists_keep_views', ['update'])}

    SELECT product_category_lists_rewrite(ARRAY(SELECT DISTINCT product_id FROM product_categories));
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ${dropStatementTriggers('categories_lists', 'categories', ['update'])}
    ${dropStatementTriggers('product_categories_lists', 'product_categories')}
    DROP FUNCTION product_category_lists_keep_views(), product_category_lists_keep_links(),
      product_category_lists_rewrite(uuid[]), product_category_list(uuid);
    DROP TABLE product_category_lists;
  `);
};
