import { expect } from 'chai';
import { countRows } from '@escalable/shop-sdk/testing';
import {
  adminToken,
  checkOut,
  eventually,
  givenCart,
  newCustomer,
  orderAs,
  orderService,
  type ProblemBody,
} from './harness.js';

describe('POST /api/orders when a step fails', () => {
  it('When a line is short of stock, then it is a 409 naming each short line with what is available, and nothing is reserved or written', async () => {
    // Arrange
    const { catalog, db } = await orderService();
    const customer = newCustomer();
    const [plenty, scarce] = await givenCart(customer, [
      { name: 'Remera', quantity: 2, stock: 10 },
      { name: 'Buzo', quantity: 3, stock: 1 },
    ]);

    // Act
    const answer = await checkOut<ProblemBody & { lines: unknown[] }>(customer);

    // Assert
    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/out-of-stock$/);
    expect(answer.body.lines).to.deep.equal([
      { variantId: scarce, requested: 3, available: 1, productName: 'Buzo' },
    ]);
    expect(answer.body.detail).to.equal('Buzo: 3 wanted, 1 left');
    expect(catalog.stock.get(plenty!)).to.equal(10);
    expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(0);
  });

  it('When the cart is empty, then it is a 409 cart-empty and nothing is reserved or written', async () => {
    // Arrange
    const { db } = await orderService();
    const customer = newCustomer();

    // Act
    const answer = await checkOut<ProblemBody>(customer);

    // Assert
    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/cart-empty$/);
    expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(0);
  });

  it('When cart lines have issues (a price changed, a product archived), then it is a 409 naming them', async () => {
    // Arrange
    const { catalog } = await orderService();
    const customer = newCustomer();
    const priceChanged = {
      type: 'price-changed' as const,
      addedPrice: { amount: 90_000, currency: 'ARS' },
      currentPrice: { amount: 100_000, currency: 'ARS' },
    };
    const [changed, archived, fine] = await givenCart(customer, [
      { issues: [priceChanged] },
      { issues: [{ type: 'archived', status: 'archived' }] },
      {},
    ]);

    // Act
    const answer = await checkOut<ProblemBody & { lines: unknown[] }>(customer);

    // Assert
    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/cart-has-issues$/);
    expect(answer.body.lines).to.deep.equal([
      { variantId: changed, issues: [priceChanged] },
      { variantId: archived, issues: [{ type: 'archived', status: 'archived' }] },
    ]);
    expect(catalog.stock.get(fine!)).to.equal(10);
  });

  it('When the cart says a line is short but the stock is there at checkout, then the reservation decides and the order is placed', async () => {
    // Arrange
    const customer = newCustomer();
    await givenCart(customer, [
      { quantity: 2, stock: 5, issues: [{ type: 'insufficient-stock', available: 1 }] },
    ]);

    // Act
    const answer = await checkOut(customer);

    // Assert
    expect(answer.status).to.equal(201);
  });

  it('When payment-service is down, then it is a 503, the order is failed and its stock released; a retry with the same key then succeeds', async () => {
    // Arrange
    const { catalog, payments, db } = await orderService();
    const customer = newCustomer();
    const [variant] = await givenCart(customer, [{ quantity: 4 }]);
    payments.down = true;

    try {
      // Act
      const answer = await checkOut<ProblemBody>(customer, { key: 'payment-down-1' });

      // Assert
      expect(answer.status).to.equal(503);
      expect(answer.body.type).to.match(/upstream-unavailable$/);
      expect(answer.body.upstream).to.equal('payment-service');
      const [failed] = (
        await db.sequelize.query(`SELECT id, status FROM orders WHERE customer_id = '${customer.id}'`)
      )[0] as Array<{ id: string; status: string }>;
      expect(failed!.status).to.equal('failed');
      await eventually(() => catalog.stock.get(variant!) === 10, 'the stock to be released');
      expect(catalog.reservations.get(failed!.id)!.status).to.equal('released');
      const view = await orderAs(adminToken(), failed!.id);
      expect(view.body.history.map((step) => step.to)).to.deep.equal(['pending_payment', 'failed']);
    } finally {
      payments.down = false;
    }
    const retry = await checkOut(customer, { key: 'payment-down-1' });
    expect(retry.status).to.equal(201);
    expect(catalog.stock.get(variant!)).to.equal(6);
  });

  it('When product-service is down, then it is a 503 and no order is written', async () => {
    // Arrange
    const { catalog, db } = await orderService();
    const customer = newCustomer();
    await givenCart(customer, [{}]);
    catalog.down = true;

    try {
      // Act
      const answer = await checkOut<ProblemBody>(customer);

      // Assert
      expect(answer.status).to.equal(503);
      expect(answer.body.upstream).to.equal('product-service');
      expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(0);
    } finally {
      catalog.down = false;
    }
  });

  it('When cart-service is down, then it is a 503 and nothing is reserved or written', async () => {
    // Arrange
    const { cart, catalog, db } = await orderService();
    const customer = newCustomer();
    const [variant] = await givenCart(customer, [{}]);
    cart.down = true;

    try {
      // Act
      const answer = await checkOut<ProblemBody>(customer);

      // Assert
      expect(answer.status).to.equal(503);
      expect(catalog.stock.get(variant!)).to.equal(10);
      expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(0);
    } finally {
      cart.down = false;
    }
  });

  it('When the address is malformed, then it is a 400 naming the field', async () => {
    // Arrange
    const customer = newCustomer();
    await givenCart(customer, [{}]);

    // Act
    const answer = await checkOut<ProblemBody>(customer, {
      body: { shippingAddress: { recipient: 'Ana', line1: 'x', city: 'y', postalCode: '1', country: 'ZZ' } },
    });

    // Assert
    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((param) => param.name)).to.include('shippingAddress.country');
  });
});
