import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { call, countRows, registerShopper, uniqueEmail, userService, visitorAddress } from './harness.js';

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe('Notifications through the outbox', () => {
  it('When a shopper signs up, then notification-service gets one welcome for them, keyed by the account', async () => {
    const { url, notificationService } = await userService();

    const shopper = await registerShopper(url, { name: 'Ana Welcome' });
    const forShopper = () =>
      notificationService.accepted.filter(({ request }) =>
        JSON.stringify(request.recipient).includes(shopper.id),
      );
    await waitFor(() => forShopper().length > 0);
    await sleep(200);

    expect(forShopper()).to.deep.equal([
      {
        key: `welcome:${shopper.id}`,
        caller: 'user-service',
        request: {
          type: 'welcome',
          recipient: { userId: shopper.id },
          channels: ['email', 'sms'],
          data: { name: 'Ana Welcome' },
        },
      },
    ]);
  });

  it('When a sign-up is refused (e-mail taken), then no welcome is queued', async () => {
    const { url, db } = await userService();
    const shopper = await registerShopper(url);
    const queued = await countRows(db, 'outbox');

    const answer = await call(url, 'POST', '/api/auth/register', {
      body: { email: shopper.email, password: 'another long password', name: 'Copycat' },
      headers: { 'x-forwarded-for': visitorAddress() },
    });

    expect(answer.status).to.equal(409);
    expect(await countRows(db, 'outbox')).to.equal(queued);
  });

  it('When notification-service is down during 5 sign-ups, then they all succeed, and once it is back each welcome arrives once', async () => {
    const { url, db, notificationService } = await userService();
    notificationService.down = true;
    let shoppers: Array<{ id: string }>;
    let pendingWhileDown: number;
    let metricsWhileDown: string;
    try {
      shoppers = await Promise.all(
        Array.from({ length: 5 }, () => registerShopper(url, { email: uniqueEmail() })),
      );
      const keys = shoppers.map((shopper) => `welcome:${shopper.id}`);
      await waitFor(
        async () =>
          (await countRows(db, 'outbox', 'idempotency_key = ANY($keys) AND attempts >= 2', { keys })) === 5,
      );
      pendingWhileDown = await countRows(
        db,
        'outbox',
        "idempotency_key = ANY($keys) AND status = 'pending'",
        {
          keys,
        },
      );
      metricsWhileDown = (await call<string>(url, 'GET', '/metrics')).body;
    } finally {
      notificationService.down = false;
    }
    const welcomes = (id: string) =>
      notificationService.accepted.filter(({ key }) => key === `welcome:${id}`);
    // The client's circuit to notification-service opened while it was down; it half-opens after 10 s.
    await waitFor(() => shoppers.every((shopper) => welcomes(shopper.id).length > 0), 30_000);
    await sleep(300);

    expect(pendingWhileDown).to.equal(5);
    expect(Number(/^outbox_pending\{[^}]*\} (\d+)$/m.exec(metricsWhileDown)?.[1])).to.be.at.least(5);
    expect(shoppers.map((shopper) => welcomes(shopper.id).length)).to.deep.equal([1, 1, 1, 1, 1]);
  }).timeout(60_000);

  it('When a shopper changes their password, then notification-service gets password-changed with their name and the time', async () => {
    const { url, notificationService } = await userService();
    const shopper = await registerShopper(url, { name: 'Ana Cambio' });
    const before = new Date();

    const answer = await call(url, 'POST', '/api/users/me/password', {
      token: shopper.accessToken,
      body: { currentPassword: shopper.password, newPassword: 'a brand new passphrase' },
    });
    const changes = () =>
      notificationService.accepted.filter(
        ({ request }) =>
          request.type === 'password-changed' && JSON.stringify(request.recipient).includes(shopper.id),
      );
    await waitFor(() => changes().length > 0);
    await sleep(200);

    expect(answer.status).to.equal(204);
    expect(changes()).to.have.length(1);
    const [{ request, key }] = changes() as [ReturnType<typeof changes>[number]];
    expect(key).to.match(/^password-changed:[0-9a-f-]{36}$/);
    expect(request).to.deep.include({ recipient: { userId: shopper.id }, channels: ['email', 'sms'] });
    expect(request.data.name).to.equal('Ana Cambio');
    const changedAt = new Date(request.data.changedAt as string);
    expect(changedAt.getTime()).to.be.within(before.getTime() - 1_000, Date.now());
  });

  it('When the current password is wrong, then nothing is queued', async () => {
    const { url, db } = await userService();
    const shopper = await registerShopper(url);
    const queued = await countRows(db, 'outbox');

    const answer = await call(url, 'POST', '/api/users/me/password', {
      token: shopper.accessToken,
      body: { currentPassword: 'not my password at all', newPassword: 'a brand new passphrase' },
    });

    expect(answer.status).to.equal(403);
    expect(await countRows(db, 'outbox')).to.equal(queued);
  });
});
