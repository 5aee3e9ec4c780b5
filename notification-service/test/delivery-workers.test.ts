import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { NotificationAccepted } from '@escalable/shop-sdk';
import {
  adminToken,
  call,
  deliveryLog,
  deliveryReaching,
  eventually,
  notificationService,
  requestNotification,
  settle,
  whileNotDelivering,
  withOwnInstance,
} from './harness.js';

const guestAddress = () => `guest-${randomUUID()}@example.com`;
const orderDelivered = (email: string) => ({
  type: 'order-delivered' as const,
  recipient: { email },
  channels: ['email' as const],
  data: { orderId: 'ord_1' },
});

describe('Delivery workers', () => {
  it('When three instances deliver from one database, then each of 40 e-mails is sent exactly once', async () => {
    const { smtp, startInstance } = await notificationService();
    const others = [await startInstance(), await startInstance()];
    const addresses = Array.from({ length: 40 }, guestAddress);

    try {
      await Promise.all(
        addresses.map((email, i) =>
          requestNotification(orderDelivered(email), undefined, [others[0]!.url, others[1]!.url][i % 2]),
        ),
      );
      await eventually(
        () => addresses.every((email) => smtp.messages().some((m) => m.to.includes(email))),
        'every e-mail',
        15_000,
      );
      await settle(600);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }

    const counts = addresses.map((email) => smtp.messages().filter((m) => m.to.includes(email)).length);
    expect(counts).to.deep.equal(Array(40).fill(1));
  });

  it('When no instance is delivering, then accepted notifications wait, and a restarted instance sends them', async () => {
    const { smtp } = await notificationService();
    const email = guestAddress();

    const accepted = await whileNotDelivering(async () => {
      const answer = await requestNotification<NotificationAccepted>(orderDelivered(email));
      await settle(300);
      expect(smtp.messages().filter((m) => m.to.includes(email))).to.have.length(0);
      expect(
        (await deliveryLog(`recipient=${encodeURIComponent(email)}`)).map((d) => d.status),
      ).to.deep.equal(['pending']);
      return answer.body;
    });
    const sent = await deliveryReaching(email, 'email', ['sent']);

    expect(sent.notificationId).to.equal(accepted.id);
    expect(smtp.messages().filter((m) => m.to.includes(email))).to.have.length(1);
  });

  it('When an instance died while holding a delivery, then another takes it over once its lease ends', async () => {
    const { smtp, db } = await notificationService();
    const email = guestAddress();
    await whileNotDelivering(async () => {
      const accepted = (await requestNotification<NotificationAccepted>(orderDelivered(email))).body;
      // What a crash mid-send leaves: the delivery leased to an instance that will never record it.
      await db.sequelize.query(
        `UPDATE deliveries SET status = 'sending', attempts = 1, next_attempt_at = now() + interval '300 milliseconds'
         WHERE id = $id`,
        { bind: { id: accepted.deliveries[0]!.id } },
      );
    });
    const sent = await deliveryReaching(email, 'email', ['sent']);

    expect(sent.attempts).to.equal(2);
    expect(smtp.messages().filter((m) => m.to.includes(email))).to.have.length(1);
  });

  it('When an instance accepts a notification or staff retry a failed delivery there, then it is sent within seconds, not at the worker’s next tick a minute away', async () => {
    const { smtp } = await notificationService();
    const [first, refused] = [guestAddress(), guestAddress()];

    const [sent, resent] = await withOwnInstance(
      { env: { DELIVERY_INTERVAL_MS: '60000' } },
      async ({ url }) => {
        await requestNotification(orderDelivered(first), undefined, url);
        const sent = await deliveryReaching(first, 'email', ['sent']);
        smtp.refuseNext(1, { code: 550, message: 'Mailbox full' });
        await requestNotification(orderDelivered(refused), undefined, url);
        const failed = await deliveryReaching(refused, 'email', ['failed']);
        await call(url, 'POST', `/api/notifications/deliveries/${failed.id}/retry`, { token: adminToken() });
        return [sent, await deliveryReaching(refused, 'email', ['sent'])];
      },
    );

    expect([sent.attempts, resent.attempts]).to.deep.equal([1, 1]);
    expect(smtp.messages().filter((m) => m.to.includes(first) || m.to.includes(refused))).to.have.length(2);
  });
});
