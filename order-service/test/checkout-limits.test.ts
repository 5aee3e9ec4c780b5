import { expect } from 'chai';
import { countRows } from '@escalable/shop-sdk/testing';
import {
  call,
  checkOut,
  givenCart,
  newCustomer,
  orderService,
  type Customer,
  type ProblemBody,
} from './harness.js';

/** The reservations product-service still holds for the variant. */
async function heldReservationsOf(variantId: string) {
  const { catalog } = await orderService();
  return [...catalog.reservations.values()].filter(
    (reservation) =>
      reservation.status === 'active' && reservation.items.some((item) => item.variantId === variantId),
  );
}

/** Gives the customer a new one-unit cart and checks it out: a new unpaid order. */
async function placeAnotherOrder(customer: Customer) {
  const [variantId] = await givenCart(customer, [{}]);
  const answer = await checkOut(customer);
  if (answer.status !== 201) throw new Error(`not placed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return variantId!;
}

describe('POST /api/orders, one order per cart', () => {
  it('When one cart is checked out 5 times at once with different keys, then one order is placed, the rest are 409 cart-already-ordered, and one reservation is held', async () => {
    // Arrange
    const { catalog, db } = await orderService();
    const customer = newCustomer();
    const [variant] = await givenCart(customer, [{ quantity: 3, stock: 20 }]);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => checkOut<ProblemBody & { id: string; orderId?: string }>(customer)),
    );

    // Assert
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).to.deep.equal([201, 409, 409, 409, 409]);
    const placed = answers.find((answer) => answer.status === 201)!.body;
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(refused.body.type).to.match(/cart-already-ordered$/);
      expect(refused.body.orderId).to.equal(placed.id);
    }
    expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(1);
    expect((await heldReservationsOf(variant!)).map((each) => each.orderId)).to.deep.equal([placed.id]);
    expect(catalog.stock.get(variant!)).to.equal(17);
  });

  it('When the cart is checked out again right after its order was placed, then it is a 409 naming that order', async () => {
    // Arrange
    const { catalog } = await orderService();
    const customer = newCustomer();
    const [variant] = await givenCart(customer, [{ quantity: 3 }]);
    const first = await checkOut(customer);

    // Act
    const second = await checkOut<ProblemBody & { orderId: string }>(customer);

    // Assert
    expect(first.status).to.equal(201);
    expect(second.status).to.equal(409);
    expect(second.body.type).to.match(/cart-already-ordered$/);
    expect(second.body.orderId).to.equal(first.body.id);
    expect(catalog.stock.get(variant!)).to.equal(7);
  });

  it('When the order of a cart was cancelled, then the cart can be checked out again', async () => {
    // Arrange
    const customer = newCustomer();
    await givenCart(customer, [{}]);
    const first = await checkOut(customer);
    const { url } = await orderService();
    await call(url, 'POST', `/api/orders/${first.body.id}/cancel`, { token: customer.token, body: {} });

    // Act
    const again = await checkOut(customer);

    // Assert
    expect(again.status).to.equal(201);
    expect(again.body.id).to.not.equal(first.body.id);
  });
});

describe('POST /api/orders, unpaid orders per customer', () => {
  it('When a customer holds MAX_PENDING_ORDERS_PER_CUSTOMER (3) unpaid orders, then a 4th checkout is a 409 too-many-pending-orders with the limit, and nothing is reserved', async () => {
    // Arrange
    const { db } = await orderService();
    const customer = newCustomer();
    for (let count = 0; count < 3; count += 1) await placeAnotherOrder(customer);
    const [variant] = await givenCart(customer, [{ quantity: 2 }]);

    // Act
    const answer = await checkOut<ProblemBody & { limit: number }>(customer);

    // Assert
    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/too-many-pending-orders$/);
    expect(answer.body.limit).to.equal(3);
    expect((await orderService()).catalog.stock.get(variant!)).to.equal(10);
    expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(3);
  });

  it('When a customer checks out 5 carts at once, then 3 orders are placed and 2 refused, and only 3 reservations are held', async () => {
    // Arrange
    const { cart, catalog, db } = await orderService();
    const customers = Array.from({ length: 5 }, () => newCustomer());
    const customer = customers[0]!;
    const carts = [];
    for (const each of customers) {
      await givenCart(each, [{ quantity: 2 }]);
      carts.push({ ...cart.carts.get(each.id)!, customerId: customer.id });
    }
    cart.cartQueues.set(customer.id, carts);
    const variants = carts.map((each) => each.lines[0]!.variantId);

    // Act
    const answers = await Promise.all(carts.map(() => checkOut<ProblemBody & { limit: number }>(customer)));

    // Assert
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).to.deep.equal([201, 201, 201, 409, 409]);
    for (const refused of answers.filter((answer) => answer.status === 409))
      expect(refused.body.type).to.match(/too-many-pending-orders$/);
    expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(3);
    const held = variants.filter((variant) => catalog.stock.get(variant) === 8);
    expect(held).to.have.length(3);
  });
});

describe('POST /api/orders, totals', () => {
  it('When the order total is above 2 147 483 647 minor units, then it is a 409 naming the total and the limit, nothing is reserved and no order written', async () => {
    // Arrange
    const { catalog, db } = await orderService();
    const customer = newCustomer();
    const [variant] = await givenCart(customer, [{ quantity: 15, price: 150_000_000, stock: 20 }]);

    // Act
    const answer = await checkOut<ProblemBody & { total: unknown; limit: number }>(customer);

    // Assert
    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/order-total-too-large$/);
    expect(answer.body.total).to.deep.equal({ amount: 2_250_000_000, currency: 'ARS' });
    expect(answer.body.limit).to.equal(2_147_483_647);
    expect(catalog.stock.get(variant!)).to.equal(20);
    expect(await countRows(db, 'orders', { customer_id: customer.id })).to.equal(0);
  });
});
