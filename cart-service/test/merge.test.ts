import { expect } from 'chai';
import type { Cart, MergedCart } from '@escalable/shop-sdk';
import {
  cartCall,
  cartService,
  givenInCart,
  newCustomer,
  type ProblemBody,
  type Shopper,
} from './harness.js';

const quantities = (cart: Cart) => cart.lines.map((line) => [line.variantId, line.quantity]);
const problem = (slug: string) => `https://escalable.shop/problems/${slug}`;

/** The customer signed in on the device that holds the guest's cart token. */
const signedInWith = (customer: Shopper, guest: Shopper): Shopper => ({
  ...customer,
  cartToken: guest.cartToken,
});

describe('Merging a guest cart at sign-in', () => {
  it("When a guest signs in, then the guest lines add into the customer's cart and nothing is reported capped", async () => {
    const { url, catalog } = await cartService();
    const [shared, guestOnly, customerOnly] = [
      catalog.addVariant(),
      catalog.addVariant(),
      catalog.addVariant(),
    ];
    const customer = newCustomer();
    const guest: Shopper = {};
    await givenInCart(url, customer, customerOnly.variantId, 1);
    await givenInCart(url, customer, shared.variantId, 2);
    await givenInCart(url, guest, shared.variantId, 3);
    await givenInCart(url, guest, guestOnly.variantId, 1);

    const merged = await cartCall<MergedCart>(url, signedInWith(customer, guest), 'POST', '/api/cart/merge');

    expect(merged.status).to.equal(200);
    expect(quantities(merged.body)).to.deep.equal([
      [customerOnly.variantId, 1],
      [shared.variantId, 5],
      [guestOnly.variantId, 1],
    ]);
    expect(merged.body.merge).to.deep.equal({ capped: [] });
    expect(merged.body.pricing).to.equal('live');
  });

  it('When the same guest cart is merged again, then the same answer and nothing changes', async () => {
    const { url, catalog } = await cartService();
    const variant = catalog.addVariant({ available: 4 });
    const customer = newCustomer();
    const guest: Shopper = {};
    await givenInCart(url, customer, variant.variantId, 2);
    await givenInCart(url, guest, variant.variantId, 3);
    const first = await cartCall<MergedCart>(url, signedInWith(customer, guest), 'POST', '/api/cart/merge');

    const second = await cartCall<MergedCart>(url, signedInWith(customer, guest), 'POST', '/api/cart/merge');

    expect(second.status).to.equal(200);
    expect(quantities(second.body)).to.deep.equal([[variant.variantId, 4]]);
    expect(second.body.merge).to.deep.equal(first.body.merge);
    expect(second.body.merge.capped).to.deep.equal([
      { variantId: variant.variantId, requested: 3, kept: 2, reason: 'insufficient-stock' },
    ]);
  });

  it('When guest lines exceed the stock, the 99-unit limit or the currency, then what fits is kept and the rest is listed', async () => {
    const { url, catalog } = await cartService();
    const plenty = catalog.addVariant({ available: 1000 });
    const scarce = catalog.addVariant({ available: 6 });
    const archived = catalog.addVariant();
    const gone = catalog.addVariant();
    const customer = newCustomer();
    await givenInCart(url, customer, plenty.variantId, 90);
    await givenInCart(url, customer, scarce.variantId, 5);
    const guest: Shopper = {};
    for (const [variant, quantity] of [
      [plenty, 20],
      [scarce, 4],
      [archived, 1],
      [gone, 2],
    ] as const)
      await givenInCart(url, guest, variant.variantId, quantity);
    catalog.update(archived.variantId, { status: 'archived' });
    catalog.remove(gone.variantId);

    const merged = await cartCall<MergedCart>(url, signedInWith(customer, guest), 'POST', '/api/cart/merge');

    expect(quantities(merged.body)).to.deep.equal([
      [plenty.variantId, 99],
      [scarce.variantId, 6],
    ]);
    expect(merged.body.merge.capped).to.deep.equal([
      { variantId: plenty.variantId, requested: 20, kept: 9, reason: 'quantity-limit' },
      { variantId: scarce.variantId, requested: 4, kept: 1, reason: 'insufficient-stock' },
      { variantId: archived.variantId, requested: 1, kept: 0, reason: 'archived' },
      { variantId: gone.variantId, requested: 2, kept: 0, reason: 'missing' },
    ]);
  });

  it("When the guest cart is in another currency than the customer's, then its lines are skipped and listed", async () => {
    const { url, catalog } = await cartService();
    const pesos = catalog.addVariant();
    const dollars = catalog.addVariant({ price: { amount: 500, currency: 'USD' } });
    const customer = newCustomer();
    await givenInCart(url, customer, pesos.variantId, 1);
    const guest: Shopper = {};
    await givenInCart(url, guest, dollars.variantId, 2);

    const merged = await cartCall<MergedCart>(url, signedInWith(customer, guest), 'POST', '/api/cart/merge');

    expect(quantities(merged.body)).to.deep.equal([[pesos.variantId, 1]]);
    expect(merged.body.merge.capped).to.deep.equal([
      { variantId: dollars.variantId, requested: 2, kept: 0, reason: 'currency-mismatch' },
    ]);
  });

  it('When a customer with no cart merges, then the guest cart becomes theirs with its prices as added', async () => {
    const { url, catalog } = await cartService();
    const variant = catalog.addVariant({ price: { amount: 700, currency: 'ARS' } });
    const guest: Shopper = {};
    await givenInCart(url, guest, variant.variantId, 2);
    catalog.update(variant.variantId, { price: { amount: 800, currency: 'ARS' } });

    const merged = await cartCall<MergedCart>(
      url,
      signedInWith(newCustomer(), guest),
      'POST',
      '/api/cart/merge',
    );

    expect(merged.body.lines[0]).to.deep.include({
      quantity: 2,
      addedPrice: { amount: 700, currency: 'ARS' },
      unitPrice: { amount: 800, currency: 'ARS' },
    });
    expect(merged.body.lines[0]!.issues.map((issue) => issue.type)).to.deep.equal(['price-changed']);
  });

  it('When a guest cart merges into a new cart, then its lines keep the order the guest added them in', async () => {
    const { url, catalog } = await cartService();
    // Added in descending id order, so lines that fell back on their ids would show reversed.
    const [first, second] = [catalog.addVariant(), catalog.addVariant()].sort((a, b) =>
      a.variantId < b.variantId ? 1 : -1,
    );
    const guest: Shopper = {};
    await givenInCart(url, guest, first!.variantId, 1);
    await givenInCart(url, guest, second!.variantId, 1);

    const merged = await cartCall<MergedCart>(
      url,
      signedInWith(newCustomer(), guest),
      'POST',
      '/api/cart/merge',
    );

    expect(quantities(merged.body)).to.deep.equal([
      [first!.variantId, 1],
      [second!.variantId, 1],
    ]);
  });

  it('When a guest cart was merged, then its token opens nothing any more, and another customer cannot merge it', async () => {
    const { url, catalog } = await cartService();
    const guest: Shopper = {};
    await givenInCart(url, guest, catalog.addVariant().variantId, 1);
    await cartCall(url, signedInWith(newCustomer(), guest), 'POST', '/api/cart/merge');

    const [read, added, otherMerge] = await Promise.all([
      cartCall<ProblemBody>(url, guest, 'GET', '/api/cart'),
      cartCall<ProblemBody>(url, guest, 'POST', '/api/cart/items', {
        variantId: catalog.addVariant().variantId,
        quantity: 1,
      }),
      cartCall<ProblemBody>(url, signedInWith(newCustomer(), guest), 'POST', '/api/cart/merge'),
    ]);

    expect([read, added, otherMerge].map((answer) => [answer.status, answer.body.type])).to.deep.equal([
      [404, problem('cart-not-found')],
      [404, problem('cart-not-found')],
      [404, problem('cart-not-found')],
    ]);
  });

  it('When a merge comes without the bearer token, without the cart token, or with an unknown one, then 401, 400 and 404', async () => {
    const { url, catalog } = await cartService();
    const guest: Shopper = {};
    await givenInCart(url, guest, catalog.addVariant().variantId, 1);

    const [anonymous, noToken, unknown] = await Promise.all([
      cartCall<ProblemBody>(url, guest, 'POST', '/api/cart/merge'),
      cartCall<ProblemBody>(url, newCustomer(), 'POST', '/api/cart/merge'),
      cartCall<ProblemBody>(url, { ...newCustomer(), cartToken: 'C'.repeat(43) }, 'POST', '/api/cart/merge'),
    ]);

    expect(anonymous.status).to.equal(401);
    expect([noToken.status, noToken.body.invalidParams]).to.deep.equal([
      400,
      [{ in: 'header', name: 'X-Cart-Token', reason: "send the guest cart's token in X-Cart-Token" }],
    ]);
    expect(unknown.status).to.equal(404);
    expect((await cartCall<Cart>(url, guest, 'GET', '/api/cart')).status).to.equal(200);
  });
});
