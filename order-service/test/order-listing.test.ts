import { expect } from 'chai';
import type { OrderPage } from '@escalable/shop-sdk';
import {
  adminToken,
  call,
  checkOut,
  givenCart,
  newCustomer,
  orderAs,
  orderService,
  reportPayment,
  type ProblemBody,
} from './harness.js';

async function list<T = OrderPage>(token: string, query = '') {
  return call<T>((await orderService()).url, 'GET', `/api/orders${query}`, { token });
}

/** A customer with `count` orders, the first one paid. */
async function customerWithOrders(count: number) {
  const customer = newCustomer();
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    await givenCart(customer, [{}]);
    ids.push((await checkOut(customer)).body.id);
  }
  await reportPayment(ids[0]!, 'approved');
  return { customer, ids };
}

describe('GET /api/orders', () => {
  it('When a customer lists their orders, then only theirs come, newest first, paginated and filtered by status', async () => {
    // Arrange
    const { customer, ids } = await customerWithOrders(3);
    await customerWithOrders(1);

    // Act
    const page = await list(customer.token, '?limit=2');
    const paid = await list(customer.token, '?status=paid');

    // Assert
    expect(page.status).to.equal(200);
    expect(page.body.total).to.equal(3);
    expect(page.body.items.map((order) => order.id)).to.deep.equal([ids[2], ids[1]]);
    expect(paid.body.items.map((order) => order.id)).to.deep.equal([ids[0]]);
  });

  it("When staff with orders:read-all filter by customer, status and dates, then every customer's orders match", async () => {
    // Arrange
    const before = new Date(Date.now() - 1000).toISOString();
    const { customer, ids } = await customerWithOrders(2);
    const after = new Date(Date.now() + 60_000).toISOString();

    // Act
    const byCustomer = await list(adminToken(), `?customerId=${customer.id}`);
    const paidOfCustomer = await list(adminToken(), `?customerId=${customer.id}&status=paid`);
    const inWindow = await list(
      adminToken(),
      `?customerId=${customer.id}&from=${encodeURIComponent(before)}`,
    );
    const later = await list(adminToken(), `?customerId=${customer.id}&from=${encodeURIComponent(after)}`);
    const everyone = await list(adminToken(), '?limit=100');

    // Assert
    expect(byCustomer.body.total).to.equal(2);
    expect(paidOfCustomer.body.items.map((order) => order.id)).to.deep.equal([ids[0]]);
    expect(inWindow.body.total).to.equal(2);
    expect(later.body.total).to.equal(0);
    expect(new Set(everyone.body.items.map((order) => order.customerId)).size).to.be.greaterThan(1);
  });

  it('When a customer filters by another customer or by date, then it is a 403', async () => {
    // Arrange
    const customer = newCustomer();

    // Act
    const answer = await list<ProblemBody>(customer.token, `?customerId=${newCustomer().id}`);

    // Assert
    expect(answer.status).to.equal(403);
  });

  it('When the query is malformed, then it is a 400 naming the parameter', async () => {
    // Arrange
    const customer = newCustomer();

    // Act
    const answer = await list<ProblemBody>(customer.token, '?status=lost&limit=0');

    // Assert
    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((param) => param.name).sort()).to.deep.equal(['limit', 'status']);
  });

  it('When staff read any order, then it comes with lines and history; without a token it is a 401', async () => {
    // Arrange
    const { ids } = await customerWithOrders(1);
    const service = await orderService();

    // Act
    const staffView = await orderAs(adminToken(), ids[0]!);
    const anonymous = await call(service.url, 'GET', `/api/orders/${ids[0]}`);

    // Assert
    expect(staffView.status).to.equal(200);
    expect(staffView.body.lines).to.have.length(1);
    expect(staffView.body.history.map((step) => step.to)).to.deep.equal(['pending_payment', 'paid']);
    expect(anonymous.status).to.equal(401);
  });
});
