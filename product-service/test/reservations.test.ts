import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Problem, type Reservation, type StockMovement, type VariantLookup } from '@escalable/shop-sdk';
import { ProductServiceClient } from '@escalable/shop-sdk/internal';
import { createLogger, type Database } from '@escalable/shop-sdk/server';
import { releaseExpiredReservations, startExpirySweeper } from '../src/domain/reservation-expiry.js';
import {
  adminToken,
  call,
  customerToken,
  givenProduct,
  orderServiceToken,
  productService,
  expectStock,
  type ProblemBody,
} from './harness.js';

const newOrderId = () => `ord_${randomUUID()}`;

/** Waits until the service's clock (the same machine's) has passed an instant. */
async function untilPast(instant: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Date.parse(instant) - Date.now() + 50));
}

/** An order's ledger lines, oldest first: reason, change to reserved, actor. */
async function ledgerOfOrder(db: Database, orderId: string): Promise<Array<[string, number, string]>> {
  const [rows] = await db.sequelize.query(
    'SELECT reason, delta_reserved, actor FROM stock_movements WHERE order_id = $orderId ORDER BY id',
    { bind: { orderId } },
  );
  return (rows as Array<{ reason: string; delta_reserved: number; actor: string }>).map((row) => [
    row.reason,
    row.delta_reserved,
    row.actor,
  ]);
}

async function failureOf(work: Promise<unknown>): Promise<Problem> {
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).to.be.instanceOf(Problem);
  return outcome as Problem;
}

/** Two products on sale: 5 units of one and 2 of the other. */
async function givenTwoVariants(url: string) {
  const [first, second] = [await givenProduct(url), await givenProduct(url)];
  await call(url, 'POST', `/api/products/${second.id}/variants/${second.variants[0]!.id}/stock-adjustments`, {
    token: adminToken(),
    body: { delta: -3 },
  });
  return { a: first.variants[0]!.id, b: second.variants[0]!.id };
}

describe('/internal/reservations', () => {
  it('When order-service reserves available stock, then 201 and the units move from available to reserved', async () => {
    const { url, db } = await productService();
    const { a, b } = await givenTwoVariants(url);
    const orderId = newOrderId();

    const answer = await call<Reservation>(url, 'POST', '/internal/reservations', {
      token: orderServiceToken(),
      body: {
        orderId,
        items: [
          { variantId: a, quantity: 2 },
          { variantId: b, quantity: 2 },
        ],
      },
    });

    expect(answer.status).to.equal(201);
    expect(answer.body).to.include({ orderId, status: 'active' });
    expect(answer.body.items).to.have.deep.members([
      { variantId: a, quantity: 2 },
      { variantId: b, quantity: 2 },
    ]);
    expect(Date.parse(answer.body.expiresAt) - Date.now()).to.be.within(890_000, 900_000);
    await expectStock(db, a, { onHand: 5, reserved: 2 });
    await expectStock(db, b, { onHand: 2, reserved: 2 });
  });

  it('When one line is short, then 409 out-of-stock lists what is available and nothing is reserved', async () => {
    const { url, db, internal } = await productService();
    const { a, b } = await givenTwoVariants(url);
    const orderId = newOrderId();

    const problem = await failureOf(
      internal.reserve(orderId, [
        { variantId: a, quantity: 1 },
        { variantId: b, quantity: 3 },
      ]),
    );

    expect(problem.status).to.equal(409);
    expect(problem.slug).to.equal('out-of-stock');
    expect(problem.extensions.availability).to.have.deep.members([
      { variantId: a, requested: 1, available: 5 },
      { variantId: b, requested: 3, available: 2 },
    ]);
    await expectStock(db, a, { reserved: 0 });
    expect((await failureOf(internal.getReservation(orderId))).status).to.equal(404);
  });

  it('When the same order reserves again with the same items, then 200 with the first reservation and no double hold', async () => {
    const { url, db, internal } = await productService();
    const { a } = await givenTwoVariants(url);
    const orderId = newOrderId();
    const first = await internal.reserve(orderId, [{ variantId: a, quantity: 3 }]);

    const [again, simultaneous] = await Promise.all([
      call<Reservation>(url, 'POST', '/internal/reservations', {
        token: orderServiceToken(),
        body: { orderId, items: [{ variantId: a, quantity: 3 }] },
      }),
      internal.reserve(orderId, [{ variantId: a, quantity: 3 }]),
    ]);

    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(first);
    expect(simultaneous).to.deep.equal(first);
    await expectStock(db, a, { onHand: 5, reserved: 3 });
  });

  it('When two identical first reservations race, then one creates it and the other gets it back', async () => {
    const { url, db } = await productService();
    const { a } = await givenTwoVariants(url);
    const body = { orderId: newOrderId(), items: [{ variantId: a, quantity: 2 }] };

    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(url, 'POST', '/internal/reservations', { token: orderServiceToken(), body }),
      ),
    );

    expect(answers.map((answer) => answer.status).sort()).to.deep.equal([200, 200, 200, 200, 201]);
    await expectStock(db, a, { reserved: 2 });
  });

  it('When the same order reserves other items, then 409 reservation-mismatch', async () => {
    const { url, internal } = await productService();
    const { a } = await givenTwoVariants(url);
    const orderId = newOrderId();
    await internal.reserve(orderId, [{ variantId: a, quantity: 1 }]);

    const problem = await failureOf(internal.reserve(orderId, [{ variantId: a, quantity: 2 }]));

    expect(problem.slug).to.equal('reservation-mismatch');
  });

  it('When a reservation is committed, then the units leave on-hand and reserved together; repeating changes nothing', async () => {
    const { url, db, internal } = await productService();
    const { a, b } = await givenTwoVariants(url);
    const orderId = newOrderId();
    await internal.reserve(orderId, [
      { variantId: a, quantity: 2 },
      { variantId: b, quantity: 1 },
    ]);

    const committed = await internal.commit(orderId);
    const again = await internal.commit(orderId);
    const releaseAfter = await failureOf(internal.release(orderId));

    expect(committed.status).to.equal('committed');
    expect(again).to.deep.equal(committed);
    expect(releaseAfter.slug).to.equal('reservation-committed');
    await expectStock(db, a, { onHand: 3, reserved: 0 });
    await expectStock(db, b, { onHand: 1, reserved: 0 });
  });

  it('When a reservation is released, then the units are available again; repeating changes nothing', async () => {
    const { url, db, internal } = await productService();
    const { a } = await givenTwoVariants(url);
    const orderId = newOrderId();
    await internal.reserve(orderId, [{ variantId: a, quantity: 4 }]);

    const released = await internal.release(orderId);
    const again = await internal.release(orderId);
    const commitAfter = await failureOf(internal.commit(orderId));
    const reserveAfter = await failureOf(internal.reserve(orderId, [{ variantId: a, quantity: 4 }]));

    expect(released.status).to.equal('released');
    expect(again).to.deep.equal(released);
    expect([commitAfter.slug, reserveAfter.slug]).to.deep.equal(['reservation-closed', 'reservation-closed']);
    await expectStock(db, a, { onHand: 5, reserved: 0 });
  });

  it('When a reservation expires, then the sweeper gives the stock back and records it in the ledger', async () => {
    const { url, db, internal } = await productService();
    const { a } = await givenTwoVariants(url);
    const [expiring, lasting] = [newOrderId(), newOrderId()];
    await internal.reserve(expiring, [{ variantId: a, quantity: 2 }], { ttlSeconds: 60 });
    await internal.reserve(lasting, [{ variantId: a, quantity: 1 }], { ttlSeconds: 3600 });

    const released = await releaseExpiredReservations({ asOf: new Date(Date.now() + 120_000) });
    const ledger = await call<{ movements: { items: StockMovement[] } }>(
      url,
      'GET',
      `/api/products/${(await internal.lookupVariants([a])).items[0]!.productId}/variants/${a}/stock-movements`,
      { token: adminToken() },
    );

    expect(released).to.be.at.least(1);
    expect((await internal.getReservation(expiring)).status).to.equal('expired');
    expect((await internal.getReservation(lasting)).status).to.equal('active');
    expect(ledger.body.movements.items[0]).to.include({
      reason: 'expire',
      deltaReserved: -2,
      orderId: expiring,
      actor: 'system:expiry',
    });
    await expectStock(db, a, { onHand: 5, reserved: 1 });
    expect((await internal.release(expiring)).status).to.equal('expired');
  });

  it('When a reservation is past its expiry but not yet swept, then it reads expired and a commit gets 409 reservation-expired and frees the units', async () => {
    const { url, db, internal } = await productService();
    const { a } = await givenTwoVariants(url);
    const orderId = newOrderId();
    const reservation = await internal.reserve(orderId, [{ variantId: a, quantity: 2 }], { ttlSeconds: 1 });
    await untilPast(reservation.expiresAt);

    const read = await internal.getReservation(orderId);
    const commit = await failureOf(internal.commit(orderId));
    const commitAgain = await failureOf(internal.commit(orderId));
    const release = await internal.release(orderId);
    await releaseExpiredReservations();

    expect(read.status).to.equal('expired');
    expect([commit.status, commit.slug]).to.deep.equal([409, 'reservation-expired']);
    expect(commitAgain.slug).to.equal('reservation-expired');
    expect(release.status).to.equal('expired');
    await expectStock(db, a, { onHand: 5, reserved: 0 });
    expect(await ledgerOfOrder(db, orderId)).to.deep.equal([
      ['reserve', 2, 'service:order-service'],
      ['expire', -2, 'system:expiry'],
    ]);
  });

  it('When a reservation past its expiry is released before the sweep, then it reads expired and its units are free', async () => {
    const { url, db, internal } = await productService();
    const { a } = await givenTwoVariants(url);
    const orderId = newOrderId();
    const reservation = await internal.reserve(orderId, [{ variantId: a, quantity: 3 }], { ttlSeconds: 1 });
    await untilPast(reservation.expiresAt);

    const released = await internal.release(orderId);
    const reserveAgain = await failureOf(internal.reserve(orderId, [{ variantId: a, quantity: 3 }]));

    expect(released.status).to.equal('expired');
    expect(reserveAgain.slug).to.equal('reservation-closed');
    await expectStock(db, a, { onHand: 5, reserved: 0 });
    expect(await ledgerOfOrder(db, orderId)).to.deep.equal([
      ['reserve', 3, 'service:order-service'],
      ['expire', -3, 'system:expiry'],
    ]);
  });

  it('When ids are sent in upper case, then they name the same variants', async () => {
    const { url, db } = await productService();
    const { a, b } = await givenTwoVariants(url);
    const orderId = newOrderId();

    const reserved = await call<Reservation>(url, 'POST', '/internal/reservations', {
      token: orderServiceToken(),
      body: { orderId, items: [{ variantId: a.toUpperCase(), quantity: 2 }] },
    });
    const twice = await call<ProblemBody>(url, 'POST', '/internal/reservations', {
      token: orderServiceToken(),
      body: {
        orderId: newOrderId(),
        items: [
          { variantId: b, quantity: 1 },
          { variantId: b.toUpperCase(), quantity: 1 },
        ],
      },
    });
    const lookup = await call<VariantLookup>(url, 'GET', `/internal/variants?ids=${b.toUpperCase()}`, {
      token: orderServiceToken(),
    });

    expect(reserved.status).to.equal(201);
    expect(reserved.body.items).to.deep.equal([{ variantId: a, quantity: 2 }]);
    expect(twice.status).to.equal(400);
    expect(lookup.body.missing).to.deep.equal([]);
    expect(lookup.body.items.map((item) => item.variantId)).to.deep.equal([b]);
    await expectStock(db, a, { reserved: 2 });
    await expectStock(db, b, { reserved: 0 });
  });

  it('When the sweeper runs on its timer, then the units of a reservation nobody touches come back without help', async () => {
    const { url, db, internal } = await productService();
    const { a } = await givenTwoVariants(url);
    const orderId = newOrderId();
    await internal.reserve(orderId, [{ variantId: a, quantity: 3 }], { ttlSeconds: 1 });

    const sweeper = startExpirySweeper(100, createLogger('product-service', 'silent'));
    // The units read as available from the instant of expiry; the sweep shows in the ledger.
    let ledger = await ledgerOfOrder(db, orderId);
    for (const deadline = Date.now() + 5_000; ledger.length < 2 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ledger = await ledgerOfOrder(db, orderId);
    }
    await sweeper.stop();

    expect(ledger).to.deep.equal([
      ['reserve', 3, 'service:order-service'],
      ['expire', -3, 'system:expiry'],
    ]);
    expect((await internal.getReservation(orderId)).status).to.equal('expired');
    expect((await internal.lookupVariants([a])).items[0]!.available).to.equal(5);
    await expectStock(db, a, { onHand: 5, reserved: 0 });
  });

  it('When the reservation ledger is read, then it names the calling service and the order', async () => {
    const { url, internal } = await productService();
    const { a } = await givenTwoVariants(url);
    const orderId = newOrderId();
    await internal.reserve(orderId, [{ variantId: a, quantity: 1 }]);
    await internal.commit(orderId);
    const productId = (await internal.lookupVariants([a])).items[0]!.productId;

    const ledger = await call<{ movements: { items: StockMovement[] } }>(
      url,
      'GET',
      `/api/products/${productId}/variants/${a}/stock-movements`,
      { token: adminToken() },
    );

    expect(
      ledger.body.movements.items
        .slice(0, 2)
        .map((line) => [line.reason, line.deltaOnHand, line.deltaReserved, line.orderId, line.actor]),
    ).to.deep.equal([
      ['commit', -1, -1, orderId, 'service:order-service'],
      ['reserve', 0, 1, orderId, 'service:order-service'],
    ]);
  });

  it('When a variant is unknown or not on sale, then 404 and 409 not-for-sale, and nothing is reserved', async () => {
    const { url, db, internal } = await productService();
    const { a } = await givenTwoVariants(url);
    const draft = await givenProduct(url, { status: 'draft' });
    const missing = randomUUID();

    const unknown = await failureOf(
      internal.reserve(newOrderId(), [
        { variantId: a, quantity: 1 },
        { variantId: missing, quantity: 1 },
      ]),
    );
    const notForSale = await failureOf(
      internal.reserve(newOrderId(), [
        { variantId: a, quantity: 1 },
        { variantId: draft.variants[0]!.id, quantity: 1 },
      ]),
    );

    expect(unknown.status).to.equal(404);
    expect(unknown.extensions.missing).to.deep.equal([missing]);
    expect(notForSale.slug).to.equal('not-for-sale');
    await expectStock(db, a, { reserved: 0 });
  });

  for (const [what, items] of [
    ['a zero quantity', [{ quantity: 0 }]],
    ['a negative quantity', [{ quantity: -1 }]],
    ['a non-integer quantity', [{ quantity: 1.5 }]],
    ['the same variant twice', [{ quantity: 1 }, { quantity: 1 }]],
    ['no items', []],
  ] as const) {
    it(`When a reservation has ${what}, then 400 and nothing is reserved`, async () => {
      const { url, db } = await productService();
      const { a } = await givenTwoVariants(url);

      const answer = await call(url, 'POST', '/internal/reservations', {
        token: orderServiceToken(),
        body: { orderId: newOrderId(), items: items.map((item) => ({ variantId: a, ...item })) },
      });

      expect(answer.status).to.equal(400);
      await expectStock(db, a, { reserved: 0 });
    });
  }

  it('When an order id in the path is malformed, then 400 names orderId', async () => {
    const { url } = await productService();

    const answer = await call<ProblemBody>(url, 'GET', '/internal/reservations/bad%20order', {
      token: orderServiceToken(),
    });

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((param) => param.name)).to.deep.equal(['orderId']);
  });

  it('When the order is unknown, then commit, release and read answer 404', async () => {
    const { internal } = await productService();
    const orderId = newOrderId();

    const failures = await Promise.all([
      failureOf(internal.commit(orderId)),
      failureOf(internal.release(orderId)),
      failureOf(internal.getReservation(orderId)),
    ]);

    expect(failures.map((problem) => problem.status)).to.deep.equal([404, 404, 404]);
  });

  it('When the caller has no service credentials, then 401, even with an admin token', async () => {
    const { url } = await productService();
    const impostor = new ProductServiceClient({
      baseUrl: url,
      caller: 'order-service',
      secret: 'x'.repeat(64),
    });
    const body = { orderId: newOrderId(), items: [{ variantId: randomUUID(), quantity: 1 }] };

    const anonymous = await call(url, 'POST', '/internal/reservations', { body });
    const asAdmin = await call(url, 'POST', '/internal/reservations', { body, token: adminToken() });
    const asCustomer = await call(url, 'GET', `/internal/variants?ids=${randomUUID()}`, {
      token: customerToken(),
    });
    const wrongSecret = await failureOf(impostor.lookupVariants([randomUUID()]));

    expect([anonymous.status, asAdmin.status, asCustomer.status, wrongSecret.status]).to.deep.equal([
      401, 401, 401, 401,
    ]);
  });
});

describe('/internal/variants', () => {
  it('When cart-service looks variants up, then it gets price, sale status and availability, and the unknown ids apart', async () => {
    const { url, internal } = await productService();
    const product = await givenProduct(url, { images: ['https://cdn.example.test/a.jpg'] });
    const draft = await givenProduct(url, { status: 'draft' });
    const [variantId, draftVariantId] = [product.variants[0]!.id, draft.variants[0]!.id];
    await internal.reserve(newOrderId(), [{ variantId, quantity: 2 }]);
    const missing = randomUUID();

    const lookup = await internal.lookupVariants([variantId, missing, draftVariantId]);

    expect(lookup.missing).to.deep.equal([missing]);
    expect(lookup.items).to.deep.equal([
      {
        variantId,
        productId: product.id,
        productName: product.name,
        productSlug: product.slug,
        sku: product.variants[0]!.sku,
        options: {},
        price: { amount: 1000, currency: 'ARS' },
        status: 'active',
        available: 3,
        image: 'https://cdn.example.test/a.jpg',
      },
      { ...lookup.items[1]!, variantId: draftVariantId, status: 'draft', available: 5 },
    ]);
  });

  it('When an id is malformed or too many are asked, then 400', async () => {
    const { url } = await productService();

    const malformed = await call(url, 'GET', '/internal/variants?ids=42', { token: orderServiceToken() });
    const tooMany = await call(
      url,
      'GET',
      `/internal/variants?ids=${Array.from({ length: 101 }, randomUUID).join(',')}`,
      {
        token: orderServiceToken(),
      },
    );

    expect([malformed.status, tooMany.status]).to.deep.equal([400, 400]);
  });
});
