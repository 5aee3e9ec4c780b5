import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Delivery, NotificationAccepted, NotificationHistoryItem, Page } from '@escalable/shop-sdk';
import {
  adminToken,
  call,
  deliveryLog,
  deliveryReaching,
  eventually,
  newUserToken,
  notificationService,
  requestNotification,
  type ProblemBody,
} from './harness.js';

async function givenSentTo(userId: string, type: 'welcome' | 'order-delivered') {
  const data = type === 'welcome' ? { name: 'Ana' } : { orderId: `ord_${randomUUID().slice(0, 6)}` };
  const answer = await requestNotification<NotificationAccepted>({
    type,
    recipient: { userId },
    channels: ['email'],
    data,
  });
  if (answer.status !== 202) throw new Error(`not accepted: ${answer.status}`);
  return answer.body;
}

describe("GET /api/notifications: the signed-in user's history", () => {
  it('When a user reads their history, then only their own notifications, newest first, paginated', async () => {
    const { url, users } = await notificationService();
    const [ana, bob] = [users.addUser(), users.addUser()];
    const first = await givenSentTo(ana.id, 'welcome');
    const second = await givenSentTo(ana.id, 'order-delivered');
    await givenSentTo(bob.id, 'welcome');
    await eventually(async () => {
      const deliveries = await deliveryLog(`recipient=${ana.id}`);
      return deliveries.length === 2 && deliveries.every((d) => d.status === 'sent');
    }, "both of Ana's e-mails");

    const page = await call<Page<NotificationHistoryItem>>(url, 'GET', '/api/notifications?limit=1', {
      token: newUserToken(ana.id).token,
    });
    const next = await call<Page<NotificationHistoryItem>>(
      url,
      'GET',
      '/api/notifications?limit=1&offset=1',
      {
        token: newUserToken(ana.id).token,
      },
    );

    expect(page.status).to.equal(200);
    expect(page.headers['cache-control']).to.equal('no-store');
    expect(page.body).to.deep.include({ total: 2, limit: 1, offset: 0 });
    expect([...page.body.items, ...next.body.items].map((item) => item.id)).to.deep.equal([
      second.id,
      first.id,
    ]);
    expect(next.body.items[0]!.deliveries.map((d) => [d.channel, d.recipient])).to.deep.equal([
      ['email', ana.email],
    ]);
  });

  it('When nobody is signed in, then 401', async () => {
    const { url } = await notificationService();

    const answer = await call(url, 'GET', '/api/notifications');

    expect(answer.status).to.equal(401);
  });

  it('When the page query is not a number, then 400 naming it', async () => {
    const { url } = await notificationService();

    const answer = await call<ProblemBody>(url, 'GET', '/api/notifications?limit=ten', {
      token: newUserToken().token,
    });

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((p) => p.name)).to.deep.equal(['limit']);
  });
});

describe('GET /api/notifications/deliveries: the delivery log for staff', () => {
  it('When staff filter by status, channel, type and recipient, then only matching deliveries', async () => {
    const { users } = await notificationService();
    const user = users.addUser({ phone: '+15005550001' });
    await requestNotification({
      type: 'welcome',
      recipient: { userId: user.id },
      channels: ['email', 'sms'],
      data: { name: 'Ana' },
    });
    await requestNotification({
      type: 'order-delivered',
      recipient: { userId: user.id },
      channels: ['email'],
      data: { orderId: 'o1' },
    });
    await eventually(async () => {
      const deliveries = await deliveryLog(`recipient=${user.id}`);
      return deliveries.length === 3 && deliveries.every((d) => d.status === 'sent' || d.status === 'failed');
    }, 'all three deliveries to end');

    const failedSms = await deliveryLog(`recipient=${user.id}&status=failed&channel=sms`);
    const welcomes = await deliveryLog(`recipient=${encodeURIComponent(user.email)}&type=welcome`);
    const byPhone = await deliveryLog(`recipient=${encodeURIComponent('+15005550001')}&type=welcome`);
    const allOfUser = await deliveryLog(`recipient=${user.id}`);

    expect(failedSms.map((d) => [d.type, d.channel, d.status])).to.deep.equal([['welcome', 'sms', 'failed']]);
    expect(welcomes.map((d) => [d.type, d.channel, d.status])).to.deep.equal([['welcome', 'email', 'sent']]);
    expect(byPhone.map((d) => d.channel)).to.deep.equal(['sms']);
    expect(allOfUser).to.have.length(3);
  });

  it('When a customer asks for the log, then 403; when a filter is not one of the known values, then 400', async () => {
    const { url } = await notificationService();

    const customer = await call(url, 'GET', '/api/notifications/deliveries', { token: newUserToken().token });
    const badFilter = await call<ProblemBody>(
      url,
      'GET',
      '/api/notifications/deliveries?status=lost&channel=fax',
      {
        token: adminToken(),
      },
    );

    expect(customer.status).to.equal(403);
    expect(badFilter.status).to.equal(400);
    expect(badFilter.body.invalidParams.map((p) => p.name)).to.have.members(['status', 'channel']);
  });
});

describe('POST /api/notifications/deliveries/:id/retry', () => {
  it('When staff retry a failed delivery, then 202 pending and it is sent again', async () => {
    const { url, users, smtp } = await notificationService();
    const user = users.addUser();
    smtp.refuseNext(1, { code: 550, message: 'Mailbox full' });
    await givenSentTo(user.id, 'welcome');
    const failed = await deliveryReaching(user.id, 'email', ['failed']);

    const answer = await call<Delivery>(url, 'POST', `/api/notifications/deliveries/${failed.id}/retry`, {
      token: adminToken(),
    });
    const sent = await deliveryReaching(user.id, 'email', ['sent']);

    expect(answer.status).to.equal(202);
    expect(answer.body).to.deep.include({ id: failed.id, status: 'pending', attempts: 0 });
    expect(sent.attempts).to.equal(1);
    expect(smtp.messages().filter((m) => m.to.includes(user.email))).to.have.length(1);
  });

  it('When the delivery was sent, then 409 and it is not sent again; an unknown one is 404; a customer gets 403', async () => {
    const { url, users } = await notificationService();
    const user = users.addUser();
    await givenSentTo(user.id, 'welcome');
    const sent = await deliveryReaching(user.id, 'email', ['sent']);

    const conflict = await call<ProblemBody>(url, 'POST', `/api/notifications/deliveries/${sent.id}/retry`, {
      token: adminToken(),
    });
    const unknown = await call(url, 'POST', `/api/notifications/deliveries/${randomUUID()}/retry`, {
      token: adminToken(),
    });
    const customer = await call(url, 'POST', `/api/notifications/deliveries/${sent.id}/retry`, {
      token: newUserToken(user.id).token,
    });

    expect(conflict.status).to.equal(409);
    expect(conflict.body.type).to.match(/delivery-not-failed$/);
    expect([unknown.status, customer.status]).to.deep.equal([404, 403]);
    expect((await deliveryReaching(user.id, 'email', ['sent'])).attempts).to.equal(1);
  });
});

describe('GET /metrics', () => {
  it('When deliveries exist, then the deliveries by status are exported', async () => {
    const { url, users } = await notificationService();
    const user = users.addUser();
    await givenSentTo(user.id, 'welcome');
    await deliveryReaching(user.id, 'email', ['sent']);

    const answer = await call<string>(url, 'GET', '/metrics');

    expect(answer.status).to.equal(200);
    expect(answer.body).to.match(
      /notification_deliveries\{status="sent",service="notification-service"\} [1-9]/,
    );
    expect(answer.body).to.match(
      /notification_deliveries\{status="skipped",service="notification-service"\} \d+/,
    );
  });
});
