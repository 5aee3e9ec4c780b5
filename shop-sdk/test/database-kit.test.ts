import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { call, countRows } from '../src/testing/index.js';
import { logLines, tinyShop } from './fixtures/shop.js';

const uniqueEmail = () => `c-${randomUUID().slice(0, 8)}@example.test`;

describe('A service on the kit, started once by serviceUnderTest', () => {
  after(async () => (await tinyShop()).outbound.stop());

  async function givenCustomer(fields: Record<string, unknown> = {}) {
    const { url } = await tinyShop();
    const answer = await call<{ id: string; email: string }>(url, 'POST', '/customers', {
      body: { email: uniqueEmail(), ...fields },
    });
    expect(answer.status).to.equal(201);
    return answer.body;
  }

  it('When the harness starts it, then migrations ran, models are defined and it answers on its url', async () => {
    const shop = await tinyShop();

    const ready = await call(shop.url, 'GET', '/readyz');
    const customer = await givenCustomer();

    expect(ready.status).to.equal(200);
    expect(await countRows(shop.db, 'customers', { id: customer.id })).to.equal(1);
    expect(await tinyShop()).to.equal(shop);
  });

  it('When a unique constraint is violated, then its Problem (409) and no second row', async () => {
    const { url, db } = await tinyShop();
    const { email } = await givenCustomer();

    const answer = await call(url, 'POST', '/customers', { body: { email } });

    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.equal('https://escalable.shop/problems/email-taken');
    expect(await countRows(db, 'customers', { email })).to.equal(1);
  });

  it('When a write points at a missing row, then 404; when a delete is still pointed at, then 409', async () => {
    const { url, db } = await tinyShop();
    const customer = await givenCustomer();
    await call(url, 'POST', '/orders', { body: { customerId: customer.id, amount: 100 } });

    const orphan = await call(url, 'POST', '/orders', { body: { customerId: randomUUID(), amount: 100 } });
    const deletion = await call(url, 'DELETE', `/customers/${customer.id}`);

    expect([orphan.status, deletion.status]).to.deep.equal([404, 409]);
    expect(deletion.body.type).to.equal('https://escalable.shop/problems/customer-has-orders');
    expect(await countRows(db.sequelize, 'customers', 'id = $id', { id: customer.id })).to.equal(1);
  });

  it('When a check constraint is violated, then its Problem', async () => {
    const { url } = await tinyShop();
    const customer = await givenCustomer();

    const answer = await call(url, 'POST', '/orders', { body: { customerId: customer.id, amount: -1 } });

    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.equal('https://escalable.shop/problems/negative-amount');
  });

  it('When a constraint the table does not name fails, then 500, and the log shows the cause without values', async () => {
    const { url } = await tinyShop();
    const nickname = `secret-nick-${randomUUID()}`;
    await givenCustomer({ nickname });

    const answer = await call(url, 'POST', '/customers', { body: { email: uniqueEmail(), nickname } });

    expect(answer.status).to.equal(500);
    const logged = logLines.find((line) => line.msg === 'request failed');
    expect(logged, 'the failure is logged').to.not.equal(undefined);
    const err = logged!.err as { type: string; cause: Record<string, unknown> };
    expect(err.type).to.equal('UniqueConstraintError');
    expect(err.cause).to.include({
      code: '23505',
      constraint: 'customers_nickname_unique',
      table: 'customers',
      message: 'duplicate key value violates unique constraint "customers_nickname_unique"',
    });
    expect(JSON.stringify(logLines)).to.not.include(nickname);
  });

  it('When a service adds its own redaction paths, then those and the common ones are redacted', async () => {
    const { url } = await tinyShop();

    await call(url, 'POST', '/log', {
      body: { cardNumber: '4111111111111111', password: 'hunter2-hunter2', amount: 5 },
      token: 'a-bearer-token-value',
    });

    const line = logLines.find((entry) => entry.msg === 'payment received');
    expect(line!.payment).to.deep.equal({ cardNumber: '[redacted]', password: '[redacted]', amount: 5 });
    expect(JSON.stringify(logLines))
      .to.not.include('4111111111111111')
      .and.not.include('a-bearer-token-value');
  });

  it('When countRows is given all rows, an equality object or a condition, then it counts them', async () => {
    const { db } = await tinyShop();
    const customer = await givenCustomer({ nickname: `n-${randomUUID()}` });

    const all = await countRows(db, 'customers');
    const byObject = await countRows(db, 'customers', { email: customer.email });
    const byCondition = await countRows(db, 'customers', 'nickname IS NOT NULL AND id = $id', {
      id: customer.id,
    });

    expect(all).to.be.at.least(1);
    expect([byObject, byCondition]).to.deep.equal([1, 1]);
    await countRows(db, 'customers; DROP TABLE customers').then(
      () => expect.fail('a table name with SQL in it must be refused'),
      (error: Error) => expect(error.message).to.include('not a table name'),
    );
  });

  it('When a path parameter is not a UUID, then 400 naming it, and an upper-case id finds the row', async () => {
    const { url, db } = await tinyShop();
    const customer = await givenCustomer();

    const invalid = await call(url, 'DELETE', '/customers/not-a-uuid');
    const upper = await call(url, 'DELETE', `/customers/${customer.id.toUpperCase()}`);

    expect(invalid.status).to.equal(400);
    expect(invalid.body.invalidParams).to.deep.equal([
      { in: 'params', name: 'id', reason: 'must be a customer id (UUID)' },
    ]);
    expect(upper.status).to.equal(204);
    expect(await countRows(db, 'customers', { id: customer.id })).to.equal(0);
  });
});
