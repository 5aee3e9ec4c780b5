import { Transaction } from 'sequelize';
import { INTEGER_MAX } from '@escalable/shop-sdk/server';
import {
  problems,
  type StockAdjustment,
  type StockLedger,
  type Variant as VariantView,
} from '@escalable/shop-sdk';
import { Variant } from '../db/models.js';
import {
  applyStockChanges,
  ledgerSums,
  lockVariants,
  movementPage,
  type StockChange,
} from '../db/stock-ledger.js';
import { findVariantView } from '../db/products.js';
import { findStoredVariant } from '../db/variants.js';
import { releaseLapsedHolds } from './reservation-expiry.js';

/** Who changed the stock, as the ledger names them: `user:<id>`, `service:<name>` or `system:expiry`. */
export type Actor = string;

const sequelize = () => Variant.sequelize!;

/** An admin's correction of the stock on hand (delivery, stocktake, damage); never below what is reserved. */
export async function adjustStock(
  productId: string,
  variantId: string,
  adjustment: StockAdjustment,
  actor: Actor,
): Promise<VariantView> {
  return sequelize().transaction(async (transaction) => {
    await releaseLapsedHolds([variantId], transaction);
    const [variant] = await lockVariants([variantId], transaction, productId);
    if (!variant) throw problems.notFound('The variant');
    if (variant.on_hand + adjustment.delta < variant.reserved) {
      throw problems.conflict(
        'insufficient-stock',
        `Taking ${-adjustment.delta} would leave fewer units on hand than the ${variant.reserved} reserved`,
        { onHand: variant.on_hand, reserved: variant.reserved },
      );
    }
    if (variant.on_hand + adjustment.delta > INTEGER_MAX) {
      throw problems.conflict(
        'stock-limit',
        `Adding ${adjustment.delta} would take on-hand past ${INTEGER_MAX}, the most a variant can hold`,
        { onHand: variant.on_hand, limit: INTEGER_MAX },
      );
    }
    const change: StockChange = {
      variantId,
      reason: 'adjustment',
      deltaOnHand: adjustment.delta,
      deltaReserved: 0,
      note: adjustment.note,
    };
    await applyStockChanges([change], actor, transaction);
    return (await findVariantView(variantId, transaction))!;
  });
}

/** Puts the first units of new variants on hand, inside the transaction that creates them. */
export async function receiveInitialStock(
  stock: Array<{ variantId: string; quantity: number }>,
  actor: Actor,
  transaction: Transaction,
): Promise<void> {
  const changes = stock
    .filter(({ quantity }) => quantity > 0)
    .map(({ variantId, quantity }): StockChange => ({
      variantId,
      reason: 'initial',
      deltaOnHand: quantity,
      deltaReserved: 0,
    }));
  if (changes.length > 0) await applyStockChanges(changes, actor, transaction);
}

/**
 * A variant's stock with its ledger sums (equal to the stock when nothing went astray) and movements.
 * One snapshot for all of it: read apart, a reservation landing in between would show a stock and a
 * ledger that disagree.
 */
export async function stockLedger(
  productId: string,
  variantId: string,
  page: { limit: number; offset: number },
): Promise<StockLedger> {
  return sequelize().transaction(
    { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ },
    async (transaction) => {
      await sequelize().query('SET TRANSACTION READ ONLY', { transaction });
      const variant = await findStoredVariant(variantId, transaction);
      if (variant?.productId !== productId) throw problems.notFound('The variant');
      const sums = await ledgerSums(variantId, transaction);
      const { rows, count } = await movementPage(variantId, page, transaction);
      return {
        variantId,
        onHand: variant.onHand,
        reserved: variant.reserved,
        available: variant.available,
        ledgerOnHand: sums.onHand,
        ledgerReserved: sums.reserved,
        movements: {
          items: rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
          total: count,
          ...page,
        },
      };
    },
  );
}
