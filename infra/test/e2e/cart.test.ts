import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Cart, CartLine, Money, ShopClient } from '@escalable/shop-sdk';
import { failureOf, newEmail, signedInAdmin, signedUpShopper, visitor } from './clients.js';
import { killInstance } from './stack.js';

const PASSWORD = 'correct horse battery';
const ars = (amount: number): Money => ({ amount, currency: 'ARS' });

/** An active product on sale with one variant per `[price, stock]`, created by the admin. */
async function productWith(admin: ShopClient, variants: Array<[price: number, stock: number]>) {
  const run = randomUUID().slice(0, 8).toUpperCase();
  const product = await admin.products.create({
    name: `Remera ${run}`,
    status: 'active',
    variants: variants.map(([amount, stock], index) => ({
      sku: `CART-${run}-${index}`,
      options: { size: String(index) },
      price: ars(amount),
      stock,
    })),
  });
  return { product, variants: product.variants };
}

const quantities = (cart: Cart) => cart.lines.map((line) => [line.variantId, line.quantity]);
const lineOf = (cart: Cart, variantId: string): CartLine => {
  const line = cart.lines.find((candidate) => candidate.variantId === variantId);
  expect(line, `the cart has a line for ${variantId}`).to.not.equal(undefined);
  return line!;
};

describe('Carts through the gateway', () => {
  let admin: ShopClient;

  before(async () => {
    admin = await signedInAdmin();
  });

  it('When a guest fills a cart and signs up, then the cart is theirs, with the quantities they set and live prices', async () => {
    const { variants } = await productWith(admin, [
      [150_000, 10],
      [90_000, 5],
    ]);
    const [tee, cap] = [variants[0]!.id, variants[1]!.id];
    const shop = visitor();

    const opened = await shop.cart.addItem({ variantId: tee, quantity: 2 });
    const guestToken = shop.cart.guestToken;
    await shop.cart.addItem({ variantId: cap, quantity: 1 });
    const asGuest = await shop.cart.get();
    await shop.auth.register({ email: newEmail(), password: PASSWORD, name: 'Ana' });
    const afterSignUp = await shop.cart.get();
    await shop.cart.setQuantity(tee, 3);
    const changed = await shop.cart.addItem({ variantId: cap, quantity: 2 });
    const oldToken = visitor();
    oldToken.cart.guestToken = guestToken;
    const withOldToken = await failureOf(oldToken.cart.get());

    expect(opened).to.have.property('cartToken', guestToken);
    expect(quantities(asGuest)).to.deep.equal([
      [tee, 2],
      [cap, 1],
    ]);
    expect(asGuest.subtotal).to.deep.equal(ars(2 * 150_000 + 90_000));
    expect(shop.cart.lastMerge?.merge.capped).to.deep.equal([]);
    expect(shop.cart.guestToken).to.equal(undefined);
    expect(quantities(afterSignUp)).to.deep.equal(quantities(asGuest));
    expect(
      changed.lines.map((line) => [
        line.quantity,
        line.unitPrice?.amount,
        line.lineTotal?.amount,
        line.issues,
      ]),
    ).to.deep.equal([
      [3, 150_000, 450_000, []],
      [3, 90_000, 270_000, []],
    ]);
    expect([changed.pricing, changed.itemCount, changed.subtotal]).to.deep.equal(['live', 6, ars(720_000)]);
    expect(lineOf(changed, tee).product?.sku).to.equal(variants[0]!.sku);
    expect([withOldToken.status, withOldToken.slug]).to.deep.equal([404, 'cart-not-found']);
  });

  it('When the admin reprices, archives or sells down a variant in a cart, then each line says so and stays', async () => {
    const { product, variants } = await productWith(admin, [
      [100_000, 10],
      [50_000, 10],
      [70_000, 5],
    ]);
    const [repriced, archived, scarce] = variants.map((variant) => variant.id) as [string, string, string];
    const shopper = await signedUpShopper();
    await shopper.cart.addItem({ variantId: repriced, quantity: 2 });
    await shopper.cart.addItem({ variantId: archived, quantity: 1 });
    await shopper.cart.addItem({ variantId: scarce, quantity: 4 });

    await admin.products.updateVariant(product.id, repriced, { price: ars(120_000) });
    await admin.products.updateVariant(product.id, archived, { status: 'archived' });
    await admin.products.adjustStock(product.id, scarce, { delta: -3, note: 'rotura' });
    const flagged = await shopper.cart.get();
    const accepted = await shopper.cart.setQuantity(repriced, 2);

    expect(flagged.lines.map((line) => [line.variantId, line.issues])).to.deep.equal([
      [repriced, [{ type: 'price-changed', addedPrice: ars(100_000), currentPrice: ars(120_000) }]],
      [archived, [{ type: 'archived', status: 'archived' }]],
      [scarce, [{ type: 'insufficient-stock', available: 2 }]],
    ]);
    expect(lineOf(flagged, repriced).lineTotal).to.deep.equal(ars(240_000));
    // The archived line cannot be bought, so it is left out of what the cart costs.
    expect(flagged.subtotal).to.deep.equal(ars(240_000 + 4 * 70_000));
    expect(lineOf(accepted, repriced)).to.deep.include({ addedPrice: ars(120_000), issues: [] });
  });

  it('When another customer or a visitor without the token reaches for a cart, then 404 and the cart is untouched', async () => {
    const { variants } = await productWith(admin, [[30_000, 10]]);
    const tee = variants[0]!.id;
    const owner = await signedUpShopper('Ana');
    await owner.cart.addItem({ variantId: tee, quantity: 2 });
    const guest = visitor();
    await guest.cart.addItem({ variantId: tee, quantity: 1 });
    const other = await signedUpShopper('Luis');
    const stranger = visitor();
    const guesser = visitor();
    guesser.cart.guestToken = randomBytes(32).toString('base64url');

    const othersCart = await other.cart.get();
    const refusals = await Promise.all([
      failureOf(other.cart.setQuantity(tee, 5)),
      failureOf(other.cart.removeItem(tee)),
      failureOf(stranger.cart.get()),
      failureOf(stranger.cart.setQuantity(tee, 5)),
      failureOf(stranger.cart.removeItem(tee)),
      failureOf(guesser.cart.get()),
      failureOf(guesser.cart.addItem({ variantId: tee, quantity: 1 })),
    ]);

    expect(othersCart.lines).to.deep.equal([]);
    expect(refusals.map((problem) => `${problem.status} ${problem.slug}`)).to.deep.equal([
      '404 line-not-found',
      '404 line-not-found',
      '404 cart-not-found',
      '404 cart-not-found',
      '404 cart-not-found',
      '404 cart-not-found',
      '404 cart-not-found',
    ]);
    expect(quantities(await owner.cart.get())).to.deep.equal([[tee, 2]]);
    expect(quantities(await guest.cart.get())).to.deep.equal([[tee, 1]]);
  });

  it('When a customer with a cart signs in holding a guest cart, then units add up within stock, the cut is reported, and merging again changes nothing', async () => {
    const { variants } = await productWith(admin, [
      [40_000, 4],
      [20_000, 10],
    ]);
    const [scarce, plenty] = [variants[0]!.id, variants[1]!.id];
    const email = newEmail();
    const customer = visitor();
    await customer.auth.register({ email, password: PASSWORD, name: 'Ana' });
    await customer.cart.addItem({ variantId: scarce, quantity: 3 });
    const shop = visitor();
    await shop.cart.addItem({ variantId: scarce, quantity: 3 });
    await shop.cart.addItem({ variantId: plenty, quantity: 2 });
    const guestToken = shop.cart.guestToken;

    await shop.auth.login({ email, password: PASSWORD });
    const merged = shop.cart.lastMerge!;
    shop.cart.guestToken = guestToken;
    const again = await shop.cart.merge();
    const intruder = await signedUpShopper('Luis');
    intruder.cart.guestToken = guestToken;
    const intrusion = await failureOf(intruder.cart.merge());
    const after = await customer.cart.get();

    expect(merged.merge.capped).to.deep.equal([
      { variantId: scarce, requested: 3, kept: 1, reason: 'insufficient-stock' },
    ]);
    expect(quantities(merged)).to.deep.equal([
      [scarce, 4],
      [plenty, 2],
    ]);
    expect(again.merge).to.deep.equal(merged.merge);
    expect(quantities(again)).to.deep.equal(quantities(merged));
    expect(quantities(after)).to.deep.equal(quantities(merged));
    expect(after.subtotal).to.deep.equal(ars(4 * 40_000 + 2 * 20_000));
    expect([intrusion.status, intrusion.slug]).to.deep.equal([404, 'cart-not-found']);
    expect((await intruder.cart.get()).lines).to.deep.equal([]);
  });

  it('When 20 adds of one variant reach a new cart at once, then none is lost, and past the stock the rest get 409', async () => {
    const { variants } = await productWith(admin, [
      [10_000, 100],
      [10_000, 50],
    ]);
    const [plenty, scarce] = [variants[0]!.id, variants[1]!.id];
    const shopper = await signedUpShopper();
    const twenty = (variantId: string, quantity: number) =>
      Promise.allSettled(Array.from({ length: 20 }, () => shopper.cart.addItem({ variantId, quantity })));

    const ofThree = await twenty(plenty, 3);
    const ofFive = await twenty(scarce, 5);
    const cart = await shopper.cart.get();

    expect(ofThree.filter((outcome) => outcome.status === 'fulfilled')).to.have.length(20);
    const refused = ofFive.flatMap((outcome) =>
      outcome.status === 'rejected' ? [(outcome.reason as { status: number; slug: string }).slug] : [],
    );
    expect(refused).to.deep.equal(Array.from({ length: 10 }, () => 'insufficient-stock'));
    expect(quantities(cart)).to.deep.equal([
      [plenty, 60],
      [scarce, 50],
    ]);
  });

  describe('when instances die', () => {
    it('When a cart-service instance is killed, then shoppers and guests keep reading and changing their carts', async () => {
      const { variants } = await productWith(admin, [[25_000, 50]]);
      const tee = variants[0]!.id;
      const shopper = await signedUpShopper();
      await shopper.cart.addItem({ variantId: tee, quantity: 1 });

      await killInstance('cart-service#1');
      const guest = visitor();
      for (let step = 0; step < 4; step++) {
        await shopper.cart.addItem({ variantId: tee, quantity: 1 });
        await guest.cart.addItem({ variantId: tee, quantity: 2 });
      }
      await shopper.cart.setQuantity(tee, 7);
      const [customerCart, guestCart] = await Promise.all([shopper.cart.get(), guest.cart.get()]);

      expect(quantities(customerCart)).to.deep.equal([[tee, 7]]);
      expect(quantities(guestCart)).to.deep.equal([[tee, 8]]);
    });

    it('When a product-service instance is killed, then carts are still priced live and take additions', async () => {
      const { variants } = await productWith(admin, [[25_000, 50]]);
      const tee = variants[0]!.id;
      const shopper = await signedUpShopper();
      await shopper.cart.addItem({ variantId: tee, quantity: 2 });

      await killInstance('product-service#1');
      const reads = await Promise.all([1, 2, 3, 4].map(() => shopper.cart.get()));
      const added = await shopper.cart.addItem({ variantId: tee, quantity: 1 });

      expect(reads.map((cart) => [cart.pricing, cart.subtotal])).to.deep.equal(
        Array.from({ length: 4 }, () => ['live', ars(50_000)]),
      );
      expect([added.pricing, added.subtotal]).to.deep.equal(['live', ars(75_000)]);
    });
  });
});
