import type { Migration } from '@escalable/shop-sdk/server';

/**
 * The search index takes each product's words as the product is written. With GIN's default
 * `fastupdate`, an import left its words in a pending list (up to 4 MB) that every search read in full
 * until autovacuum merged it, and the planner priced that list into every search's count: after a
 * 1 000-product import at 50 000 products, counting a rare word was priced 947 instead of 841 (its index
 * scan 120 instead of 14), close to the cost past which a listing answers an estimate instead of the
 * exact total. A catalog is read far more than it is written: writes pay the merge instead.
 */
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ALTER INDEX products_search SET (fastupdate = off);
    SELECT gin_clean_pending_list('products_search'::regclass);
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query('ALTER INDEX products_search RESET (fastupdate)');
};
