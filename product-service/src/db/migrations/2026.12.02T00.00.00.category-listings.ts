import type { Migration } from '@escalable/shop-sdk/server';
import { createStatementTriggers, dropStatementTriggers } from '../statement-triggers.js';

/** A column of `category_listings` copied from its product, and how it is read off a products row. */
export interface ListingKey {
  column: string;
  of: (product: string) => string;
}

/** The product's keys each row holds, as this migration defines them. */
export const LISTING_KEYS: ListingKey[] = [
  { column: 'status', of: (p) => `${p}.status` },
  { column: 'from_price', of: (p) => `${p}.from_price` },
  { column: 'created_at', of: (p) => `${p}.created_at` },
  { column: 'name_lower', of: (p) => `lower(${p}.name)` },
];

const columnsOf = (keys: ListingKey[], row: string) => keys.map((key) => `${row}.${key.column}`).join(', ');
const valuesOf = (keys: ListingKey[], product: string) => keys.map((key) => key.of(product)).join(', ');

/**
 * In a statement trigger on `product_categories`: sets `touched` to the products whose links the
 * statement inserted, updated or deleted.
 */
export const PRODUCTS_OF_CHANGED_LINKS = `      IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT product_id) INTO touched FROM new_rows;
      ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT product_id) INTO touched FROM old_rows;
      ELSE
        SELECT array_agg(DISTINCT product_id) INTO touched
        FROM (SELECT product_id FROM new_rows UNION ALL SELECT product_id FROM old_rows) linked;
      END IF;`;

/**
 * Makes the rows of these products what their links and the tree say, with their current `keys`. The
 * rows to drop and the rows to write are disjoint, so one statement does both from one reading.
 */
export const rederiveFunction = (keys: ListingKey[]) => `
    CREATE OR REPLACE FUNCTION category_listings_rederive(touched uuid[]) RETURNS void LANGUAGE sql AS $$
      WITH RECURSIVE listed_in (product_id, category_id) AS (
        SELECT pc.product_id, pc.category_id
        FROM unnest(touched) t (id) JOIN product_categories pc ON pc.product_id = t.id
        UNION
        SELECT listed_in.product_id, c.parent_id
        FROM listed_in JOIN categories c ON c.id = listed_in.category_id
        WHERE c.parent_id IS NOT NULL
      ),
      dropped AS (
        DELETE FROM category_listings l
        USING unnest(touched) t (id)
        WHERE l.product_id = t.id
          AND NOT EXISTS (
            SELECT FROM listed_in r WHERE r.product_id = l.product_id AND r.category_id = l.category_id
          )
      )
      INSERT INTO category_listings AS l (category_id, product_id, ${keys.map((key) => key.column).join(', ')})
      SELECT r.category_id, p.id, ${valuesOf(keys, 'p')}
      FROM listed_in r JOIN products p ON p.id = r.product_id
      ON CONFLICT (product_id, category_id) DO UPDATE
        SET ${keys.map((key) => `${key.column} = excluded.${key.column}`).join(', ')}
        WHERE (${columnsOf(keys, 'l')}) IS DISTINCT FROM (${columnsOf(keys, 'excluded')});
    $$;
`;

/** Re-derives the rows of the products an UPDATE changed in any of `keys`. */
export const keepKeysFunction = (keys: ListingKey[]) => `
    CREATE OR REPLACE FUNCTION category_listings_keep_keys() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      touched uuid[];
    BEGIN
      SELECT array_agg(n.id) INTO touched
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (${valuesOf(keys, 'n')}) IS DISTINCT FROM (${valuesOf(keys, 'o')});
      IF touched IS NULL THEN
        RETURN NULL;
      END IF;
      -- The UPDATE itself holds the product rows.
      PERFORM pg_advisory_xact_lock_shared(hashtext('categories'));
      PERFORM category_listings_rederive(touched);
      RETURN NULL;
    END;
    $$;
`;

/**
 * A category's listing read as one index range in the sort's order, bounded by the page: one row per
 * product and category it is in or below (a product in "remeras", under "ropa", has a row for each),
 * holding the product's sort keys. Without it, a category with its subcategories was a semi-join: either
 * every product of the category read and sorted, or the sort's products index walked and each product's
 * categories probed until a page was found (25 probes per row for a category of 4 % of the catalog).
 *
 * Triggers keep the rows exact in the same transaction as every change: a product's categories, a
 * category moved to another parent (its whole subtree re-derived), a product's status, name, creation
 * time or `from_price` (itself kept by the variants triggers), a product deleted (its links cascade).
 * Every path re-derives the touched products with one function, so no two can disagree.
 *
 * Locks, always in this order: product rows, then the category tree's advisory lock, then these rows.
 * Product writes take the tree lock shared (they run side by side; the service takes it before the
 * category rows it links to, see `shareCategoryTree`); a category move holds it alone (as
 * `lockCategoryTree` does) and reads products without locking them, so while it re-derives no product
 * write is half-way through these rows, and none derives from the tree as it was before a committed
 * move. No foreign keys here for the same reason: their KEY SHARE locks on products would make a move
 * wait for product locks held by writers that wait for the tree.
 */
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE category_listings (
      category_id uuid NOT NULL,
      product_id uuid NOT NULL,
      status varchar(16) NOT NULL,
      from_price integer,
      created_at timestamptz NOT NULL,
      name_lower text NOT NULL,
      PRIMARY KEY (product_id, category_id)
    );
    -- One index per sort, as on products, behind the category: read forwards for the ascending sort,
    -- backwards for the descending one. from_price is INCLUDEd so a price range on any sort filters in
    -- the index.
    CREATE INDEX category_listings_newest ON category_listings (category_id, status, created_at, product_id)
      INCLUDE (from_price);
    CREATE INDEX category_listings_name ON category_listings (category_id, status, name_lower, product_id)
      INCLUDE (from_price);
    CREATE INDEX category_listings_price ON category_listings
      (category_id, status, coalesce(from_price, 2147483648), product_id) INCLUDE (from_price);
    CREATE INDEX category_listings_price_desc ON category_listings
      (category_id, status, coalesce(from_price, -1), product_id) INCLUDE (from_price);

${rederiveFunction(LISTING_KEYS)}
    CREATE FUNCTION category_listings_keep_links() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      touched uuid[];
    BEGIN
${PRODUCTS_OF_CHANGED_LINKS}
      IF touched IS NULL THEN
        RETURN NULL;
      END IF;
      -- NO KEY UPDATE: two writers linking one product both hold KEY SHARE on it (the link's foreign
      -- key); FOR UPDATE would make each wait for the other.
      PERFORM 1 FROM products p JOIN unnest(touched) t (id) ON p.id = t.id ORDER BY p.id FOR NO KEY UPDATE OF p;
      PERFORM pg_advisory_xact_lock_shared(hashtext('categories'));
      PERFORM category_listings_rederive(touched);
      RETURN NULL;
    END;
    $$;

${keepKeysFunction(LISTING_KEYS)}
    CREATE FUNCTION category_listings_keep_tree() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      touched uuid[];
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('categories'));
      WITH RECURSIVE moved (id) AS (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.parent_id IS DISTINCT FROM o.parent_id
        UNION
        SELECT c.id FROM categories c JOIN moved ON c.parent_id = moved.id
      )
      SELECT array_agg(DISTINCT pc.product_id) INTO touched
      FROM moved JOIN product_categories pc ON pc.category_id = moved.id;
      IF touched IS NOT NULL THEN
        PERFORM category_listings_rederive(touched);
      END IF;
      RETURN NULL;
    END;
    $$;

    ${createStatementTriggers('product_categories_listings', 'product_categories', 'category_listings_keep_links')}
    ${createStatementTriggers('products_listings', 'products', 'category_listings_keep_keys', ['update'])}
    ${createStatementTriggers('categories_listings', 'categories', 'category_listings_keep_tree', ['update'])}

    SELECT category_listings_rederive(ARRAY(SELECT DISTINCT product_id FROM product_categories));
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ${dropStatementTriggers('categories_listings', 'categories', ['update'])}
    ${dropStatementTriggers('products_listings', 'products', ['update'])}
    ${dropStatementTriggers('product_categories_listings', 'product_categories')}
    DROP FUNCTION category_listings_keep_tree(), category_listings_keep_keys(), category_listings_keep_links(),
      category_listings_rederive(uuid[]);
    DROP TABLE category_listings;
  `);
};
