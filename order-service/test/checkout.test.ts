import { expect } from 'chai';
import type { Order } from '@escalable/shop-sdk';
import { countRows } from '@escalable/shop-sdk/testing';
import { countUnpaidOrdersLocked, inTransaction } from '../src/db/orders.js';
import {
  address,
  checkOut,
  eventually,
  givenCart,
  newCustomer,
  noticesTo,
  orderService,
  type ProblemBody,
} from './harness.js';

/**
 * Takes the customer's checkout lock, as a parallel checkout of theirs holds it while it counts their
 * unpaid orders; answers once it is held, with the function that lets it go.
 */
async function holdCheckoutLock(customerId: string): Promise<() => Promise<void>> {
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => (letGo = resolve));
  let held!: () => void;
  const locked = new Promise<void>((resolve) => (held = resolve));
  const transaction = inTransaction(async (transaction) => {
    await countUnpaidOrdersLocked(customerId, transaction);
    held();
    await released;
  });
  await Promise.race([locked, transaction]);
  return async () => {
    letGo();
    await transaction;
  };
}

describe('POST /api/orders', () => {
  it('When a customer checks out a priced cart, then the order is pending payment with line snapshots, stock is held, the checkout opened, the cart converted and the customer told', async () => {
    // Arrange
    const { catalog, payments, cart } = await orderService();
    const customer = newCustomer();
    const [shirt, cap] = await givenCart(customer, [
      { name: 'Remera', quantity: 2, price: 150_000 },
      { name: 'Gorra', quantity: 1, price: 80_000 },
    ]);
    const cartId = cart.carts.get(customer.id)!.id!;

    // Act
    const answer = await checkOut(customer);

    // Assert
    expect(answer.status).to.equal(201);
    const order = answer.body;
    expect(order).to.include({ status: 'pending_payment', customerId: customer.id, itemCount: 3 });
    expect(order.total).to.deep.equal({ amount: 380_000, currency: 'ARS' });
    expect(
      order.lines.map((line) => [line.productName, line.sku, line.quantity, line.unitPrice.amount]),
    ).to.deep.equal([
      ['Remera', 'REM-1', 2, 150_000],
      ['Gorra', 'REM-2', 1, 80_000],
    ]);
    expect(order.lines[0]!.options).to.deep.equal({ talle: 'M' });
    expect(order.shippingAddress).to.deep.equal(address);
    expect(order.checkoutUrl).to.equal(payments.checkouts.get(order.id)!.checkout.checkoutUrl);
    expect(order.history).to.have.length(1);
    expect(order.history[0]).to.include({ from: null, to: 'pending_payment', actor: customer.id });
    expect(catalog.reservations.get(order.id)!.status).to.equal('active');
    expect(catalog.stock.get(shirt!)).to.equal(8);
    expect(catalog.stock.get(cap!)).to.equal(9);
    const request = payments.checkouts.get(order.id)!.request;
    expect(request.amount).to.deep.equal({ amount: 380_000, currency: 'ARS' });
    expect(request.expiresAt).to.equal(order.expiresAt);
    await eventually(() => cart.conversions.get(cartId) === order.id, 'the cart to be converted');
    await eventually(async () => (await noticesTo(customer.id)).includes('order-placed'), 'order-placed');
  });

  it('When the reservation is held, then it lasts ORDER_PAYMENT_TTL_SECONDS (default 30 minutes), as the payment does', async () => {
    // Arrange
    const customer = newCustomer();
    await givenCart(customer, [{}]);

    // Act
    const answer = await checkOut(customer);

    // Assert
    const minutes = (Date.parse(answer.body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).to.be.within(29, 30.1);
  });

  it('When the same key and body are sent again, then the same order is answered and no second one is made', async () => {
    // Arrange
    const { db } = await orderService();
    const customer = newCustomer();
    await givenCart(customer, [{}]);
    const first = await checkOut(customer, { key: 'same-key-123' });

    // Act
    const again = await checkOut(customer, { key: 'same-key-123' });

    // Assert
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(1);
  });

  it('When two instances receive the same key and body at once, then both answer the one order made', async () => {
    // Arrange
    const service = await orderService();
    const other = await service.startInstance();
    const customer = newCustomer();
    await givenCart(customer, [{}]);

    try {
      // Act
      const answers = await Promise.all([
        checkOut(customer, { key: 'racing-key-1' }),
        checkOut(customer, { key: 'racing-key-1', url: other.url }),
      ]);

      // Assert
      expect(answers.map((answer) => answer.status)).to.deep.equal([201, 201]);
      expect(answers[0]!.body.id).to.equal(answers[1]!.body.id);
      expect(await countRows(service.db, 'orders', { customer_id: customer.id })).to.equal(1);
      expect(service.catalog.reservations.has(answers[0]!.body.id)).to.equal(true);
    } finally {
      await other.close();
    }
  });

  it('When the same key comes again while the first checkout is still running, then the repeat is a 409 checkout-in-progress without waiting for it, and later gets its order', async () => {
    // Arrange
    const { db } = await orderService();
    const customer = newCustomer();
    await givenCart(customer, [{}]);
    const letGo = await holdCheckoutLock(customer.id);
    let firstAnswered = false;
    const first = checkOut(customer, { key: 'slow-key-1' }).finally(() => (firstAnswered = true));
    await eventually(
      async () => (await countRows(db, 'checkout_keys', { customer_id: customer.id })) === 1,
      'the first checkout to claim its key',
    );

    // Act
    const repeat = await checkOut<ProblemBody>(customer, { key: 'slow-key-1' });
    const firstRunningMeanwhile = !firstAnswered;
    await letGo();
    const placed = await first;
    const again = await checkOut(customer, { key: 'slow-key-1' });

    // Assert
    expect(repeat.status).to.equal(409);
    expect(repeat.body.type).to.match(/checkout-in-progress$/);
    expect(
      firstRunningMeanwhile,
      'the first checkout was still running when the repeat was answered',
    ).to.equal(true);
    expect(placed.status).to.equal(201);
    expect(again.status).to.equal(201);
    expect(again.body.id).to.equal(placed.body.id);
    expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(1);
  });

  it('When the same key comes with another body, then it is a 422 and nothing new is made', async () => {
    // Arrange
    const { db } = await orderService();
    const customer = newCustomer();
    await givenCart(customer, [{}]);
    await checkOut(customer, { key: 'reused-key-1' });

    // Act
    const answer = await checkOut<ProblemBody>(customer, {
      key: 'reused-key-1',
      body: { shippingAddress: { ...address, city: 'Rosario' } },
    });

    // Assert
    expect(answer.status).to.equal(422);
    expect(answer.body.type).to.match(/idempotency-key-reused$/);
    expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(1);
  });

  it('When the Idempotency-Key header is missing, then it is a 400 naming it', async () => {
    // Arrange
    const customer = newCustomer();
    await givenCart(customer, [{}]);

    // Act
    const answer = await checkOut<ProblemBody>(customer, { key: null });

    // Assert
    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams).to.deep.include({
      name: 'Idempotency-Key',
      in: 'header',
      reason: 'is required',
    });
  });

  it('When the address is a saved one, then its index picks it from the profile', async () => {
    // Arrange
    const { users } = await orderService();
    const customer = newCustomer();
    await givenCart(customer, [{}]);
    const office = { ...address, label: 'Oficina', line1: 'Florida 100', isDefault: false };
    users.addressesByToken.set(customer.token, [address, office]);

    // Act
    const answer = await checkOut<Order>(customer, { body: { shippingAddressIndex: 1 } });
    const missing = await checkOut<ProblemBody>(customer, { body: { shippingAddressIndex: 5 } });

    // Assert
    expect(answer.status).to.equal(201);
    expect(answer.body.shippingAddress).to.deep.equal(office);
    expect(missing.status).to.equal(409);
    expect(missing.body.type).to.match(/shipping-address-missing$/);
  });
});
