import type { Migration } from '@escalable/shop-sdk/server';
import {
  keepKeysFunction,
  LISTING_KEYS,
  rederiveFunction,
  type ListingKey,
} from './2026.12.02T00.00.00.category-listings.js';

/** The keys each row holds from this migration on. */
export const WITH_WORDS: ListingKey[] = [
  ...LISTING_KEYS,
  { column: 'search_vector', of: (p) => `${p}.search_vector` },
];

/**
 * Each row of `category_listings` holds its product's words too, with a search index of its own, so a
 * search in a category reads the category's rows alone. Joined to the products for their words, the
 * search of a common word (one product in four) in a category of 50 000 probed a wide products row for
 * each of ~720 rows walked to rank the 200 newest matches (9 ms), and its capped count read products
 * until 501 matched, probing their category rows (6.5–10 ms); on the narrow rows, 1.2–1.7 and 0.6–1.0 ms
 * (EXPLAIN ANALYZE, TIMING OFF). A rare word is found through this index (0.35 ms, where walking the
 * category without it took 10.5). The words are kept like every other key: re-derived in the same
 * transaction as the product's name or description changes.
 */
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ALTER TABLE category_listings ADD COLUMN search_vector tsvector;
    ${rederiveFunction(WITH_WORDS)}
    ${keepKeysFunction(WITH_WORDS)}
    UPDATE category_listings l SET search_vector = p.search_vector FROM products p WHERE p.id = l.product_id;
    ALTER TABLE category_listings ALTER COLUMN search_vector SET NOT NULL;
    -- Without a pending list, as products_search (migration search-index-without-pending-list).
    CREATE INDEX category_listings_search ON category_listings USING gin (search_vector)
      WITH (fastupdate = off);
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(`
    DROP INDEX category_listings_search;
    ${rederiveFunction(LISTING_KEYS)}
    ${keepKeysFunction(LISTING_KEYS)}
    ALTER TABLE category_listings DROP COLUMN search_vector;
  `);
};
