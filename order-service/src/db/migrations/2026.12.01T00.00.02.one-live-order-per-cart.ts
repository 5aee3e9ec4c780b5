import type { Migration } from '@escalable/shop-sdk/server';

// A cart becomes at most one live order: repeated checkouts of one cart (a double click, a second tab)
// lose at this index instead of each reserving the stock again. A cart whose order failed, was
// cancelled or refunded may be checked out again, as cart-service still has it open.
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE UNIQUE INDEX orders_one_live_per_cart ON orders (cart_id)
      WHERE status NOT IN ('failed', 'payment_failed', 'cancelled', 'refunded');
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query('DROP INDEX orders_one_live_per_cart');
};
