import { expect } from 'chai';
import type { NotificationAccepted } from '@escalable/shop-sdk';
import { deliveryReaching, eventually, notificationService, requestNotification, settle } from './harness.js';

const uniquePhone = () => `+54911${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

describe('SMS delivery', () => {
  it('When the user has a phone, then the SMS reaches Twilio from the configured number and its status callbacks mark it delivered', async () => {
    const { twilio, users, gateway } = await notificationService();
    const user = users.addUser({ phone: uniquePhone(), name: 'Ana' });

    const answer = await requestNotification<NotificationAccepted>({
      type: 'order-shipped',
      recipient: { userId: user.id },
      channels: ['email', 'sms'],
      data: { orderId: 'ord_1', orderNumber: 'A-1042', carrier: 'Andreani', trackingNumber: 'AND123' },
    });
    const sms = await eventually(() => twilio.messages().find((m) => m.to === user.phone), 'the SMS');
    const delivered = await deliveryReaching(user.id, 'sms', ['delivered']);

    expect(answer.body.deliveries.map((d) => d.channel)).to.deep.equal(['email', 'sms']);
    expect(sms).to.deep.include({ from: '+15005550006', messagingServiceSid: null });
    expect(sms.body).to.equal('Escalable: tu pedido A-1042 va en camino con Andreani. Seguimiento: AND123.');
    expect(sms.statusCallback).to.equal(`${gateway.url}/api/notifications/twilio/status`);
    expect(delivered).to.deep.include({ recipient: user.phone, providerId: sms.sid, attempts: 1 });
  });

  it('When the user has no phone, then the SMS is skipped and the e-mail still goes', async () => {
    const { twilio, users } = await notificationService();
    const user = users.addUser({ phone: null });
    const smsBefore = twilio.messages().length;

    await requestNotification({
      type: 'welcome',
      recipient: { userId: user.id },
      channels: ['email', 'sms'],
      data: { name: 'Ana' },
    });
    const skipped = await deliveryReaching(user.id, 'sms', ['skipped', 'sent', 'failed']);
    await deliveryReaching(user.id, 'email', ['sent']);
    await settle();

    expect(skipped).to.deep.include({ status: 'skipped', lastError: 'the recipient has no phone' });
    expect(twilio.messages()).to.have.length(smsBefore);
  });

  it('When a bare recipient has no phone, then the SMS is answered as skipped at once', async () => {
    await notificationService();

    const answer = await requestNotification<NotificationAccepted>({
      type: 'welcome',
      recipient: { email: 'guest@example.com' },
      channels: ['sms'],
      data: { name: 'Ana' },
    });

    expect(answer.status).to.equal(202);
    expect(answer.body.deliveries.map((d) => d.status)).to.deep.equal(['skipped']);
  });

  it('When Twilio answers 503, then the SMS is retried and sent once', async () => {
    const { twilio, users } = await notificationService();
    const user = users.addUser({ phone: uniquePhone() });
    twilio.failNext(2, 503);

    await requestNotification({
      type: 'welcome',
      recipient: { userId: user.id },
      channels: ['sms'],
      data: { name: 'Ana' },
    });
    const sent = await deliveryReaching(user.id, 'sms', ['sent', 'delivered']);
    await settle();

    expect(sent.attempts).to.equal(3);
    expect(twilio.messages().filter((m) => m.to === user.phone)).to.have.length(1);
  });

  it('When Twilio answers 429, then the SMS is retried and sent once', async () => {
    const { twilio, users } = await notificationService();
    const user = users.addUser({ phone: uniquePhone() });
    twilio.failNext(1, 429);

    await requestNotification({
      type: 'welcome',
      recipient: { userId: user.id },
      channels: ['sms'],
      data: { name: 'Ana' },
    });
    const sent = await deliveryReaching(user.id, 'sms', ['sent', 'delivered']);

    expect(sent.attempts).to.equal(2);
    expect(twilio.messages().filter((m) => m.to === user.phone)).to.have.length(1);
  });

  it('When Twilio refuses the number as invalid (21211), then the delivery fails at once naming the code', async () => {
    const { users } = await notificationService();
    const user = users.addUser({ phone: '+15005550001' });

    await requestNotification({
      type: 'welcome',
      recipient: { userId: user.id },
      channels: ['sms'],
      data: { name: 'Ana' },
    });
    const failed = await deliveryReaching(user.id, 'sms', ['failed', 'sent']);

    expect(failed).to.deep.include({ status: 'failed', attempts: 1, recipient: '+15005550001' });
    expect(failed.lastError).to.match(/^Twilio 400 \(21211\)/);
  });

  it('When Twilio refuses a number that is not mobile (21614), then the delivery fails at once', async () => {
    const { users } = await notificationService();
    const user = users.addUser({ phone: '+15005550009' });

    await requestNotification({
      type: 'welcome',
      recipient: { userId: user.id },
      channels: ['sms'],
      data: { name: 'Ana' },
    });
    const failed = await deliveryReaching(user.id, 'sms', ['failed', 'sent']);

    expect(failed.attempts).to.equal(1);
    expect(failed.lastError).to.match(/^Twilio 400 \(21614\)/);
  });

  it('When the service is set to a Twilio messaging service, then the SMS names it instead of a From number', async () => {
    const { twilio, users, startInstance, outbound, worker } = await notificationService();
    const messagingServiceSid = `MG${'ab'.repeat(16)}`;
    const user = users.addUser({ phone: uniquePhone() });
    await worker.stop();
    const instance = await startInstance({ env: { TWILIO_MESSAGING_SERVICE_SID: messagingServiceSid } });
    outbound.allow(instance);
    try {
      await requestNotification(
        { type: 'welcome', recipient: { userId: user.id }, channels: ['sms'], data: { name: 'Ana' } },
        undefined,
        instance.url,
      );
      const sms = await eventually(() => twilio.messages().find((m) => m.to === user.phone), 'the SMS');

      expect(sms).to.deep.include({ messagingServiceSid, from: null });
    } finally {
      await instance.close();
      worker.restart();
    }
  });
});
