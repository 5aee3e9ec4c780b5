import type { CartMergeCap, CartMergeReport, MergedCart } from '@escalable/shop-sdk';
import {
  cartLines,
  guestCart,
  inTransaction,
  markMerged,
  openCustomerCart,
  saveLine,
  touchCart,
  type StoredLine,
} from '../db/carts.js';
import { lookupPrices, type CartDependencies, type CatalogPrices } from './catalog.js';
import { cartProblems } from './cart-problems.js';
import { guestTokenHash } from './cart-owner.js';
import { readCart } from './cart-view.js';
import { lineRefusal } from './line-rules.js';

/** Tries before giving up on a guest cart that keeps changing while it is merged. */
const MERGE_ATTEMPTS = 3;

/**
 * At sign-in, the guest cart goes into the customer's: each guest line adds its units within what the
 * cart rules allow, and what could not be added is reported. The guest cart is then closed for good;
 * merging it again answers the same report and changes nothing.
 */
export async function mergeGuestCart(
  customerId: string,
  guestToken: string,
  deps: CartDependencies,
): Promise<MergedCart> {
  for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt += 1) {
    const report = await mergeOnce(customerId, guestToken, deps);
    if (report) return { ...(await readCart({ customerId }, deps)), merge: report };
  }
  throw cartProblems.guestCartChanging();
}

/**
 * One try: the guest lines are priced before the transaction, so if the guest added a line in
 * between, the try is given up (undefined) rather than merging a line nobody priced.
 */
async function mergeOnce(
  customerId: string,
  guestToken: string,
  deps: CartDependencies,
): Promise<CartMergeReport | undefined> {
  const hash = guestTokenHash(guestToken);
  const guest = hash ? await guestCart(hash) : undefined;
  // Only the customer it went to may see a merged cart's report; to anyone else it does not exist.
  if (guest?.status === 'merged' && guest.mergedIntoCustomer === customerId) return guest.mergeReport!;
  if (!hash || guest?.status !== 'active') throw cartProblems.cartNotFound();
  const prices = await lookupPrices(
    deps.catalog,
    (await cartLines(guest.id)).map((line) => line.variantId),
  );

  return inTransaction(async (transaction) => {
    const locked = await guestCart(hash, transaction);
    if (locked?.status !== 'active') return undefined;
    const guestLines = await cartLines(locked.id, transaction);
    if (guestLines.some((line) => !prices.has(line.variantId))) return undefined;
    const cart = await openCustomerCart(customerId, transaction);
    const { writes, report } = planMerge(guestLines, await cartLines(cart.id, transaction), prices);
    for (const line of writes) await saveLine(cart.id, line, transaction);
    if (writes.length > 0) await touchCart(cart.id, transaction);
    await markMerged(locked.id, customerId, report, transaction);
    return report;
  });
}

/**
 * Which lines the customer's cart gets, and which guest lines were cut or skipped. A line the customer
 * already had keeps the price they accepted; a new one keeps the guest's, so a price change since is
 * still flagged.
 */
export function planMerge(
  guestLines: StoredLine[],
  customerLines: StoredLine[],
  prices: CatalogPrices,
): { writes: StoredLine[]; report: CartMergeReport } {
  const lines = [...customerLines];
  const writes: StoredLine[] = [];
  const capped: CartMergeCap[] = [];
  for (const guestLine of guestLines) {
    const { variantId, quantity: requested } = guestLine;
    const variant = prices.get(variantId);
    if (!variant || variant.status !== 'active') {
      capped.push({ variantId, requested, kept: 0, reason: variant ? 'archived' : 'missing' });
      continue;
    }
    const index = lines.findIndex((line) => line.variantId === variantId);
    const held = lines[index];
    const refusal = lineRefusal(lines, variant, (held?.quantity ?? 0) + requested);
    const kept = refusal ? Math.min(requested, refusal.room) : requested;
    if (refusal) capped.push({ variantId, requested, kept, reason: refusal.reason });
    if (kept === 0) continue;
    const line = { variantId, quantity: (held?.quantity ?? 0) + kept, price: held?.price ?? guestLine.price };
    if (held) lines[index] = line;
    else lines.push(line);
    writes.push(line);
  }
  return { writes, report: { capped } };
}
