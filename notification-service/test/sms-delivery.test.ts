import { expect } from 'chai';
import type { NotificationAccepted } from '@escalable/shop-sdk';
import {
  deliveryReaching,
  eventually,
  notificationService,
  requestNotification,
  requestWelcome,
  settle,
  withOwnInstance,
} from './harness.js';

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

    await requestWelcome(user.id, ['email', 'sms']);
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

  for (const { status, failures } of [
    { status: 503, failures: 2 },
    { status: 429, failures: 1 },
  ] as const) {
    it(`When Twilio answers ${status}, then the SMS is retried and sent once`, async () => {
      const { twilio, users } = await notificationService();
      const user = users.addUser({ phone: uniquePhone() });
      twilio.failNext(failures, status);

      await requestWelcome(user.id, ['sms']);
      const sent = await deliveryReaching(user.id, 'sms', ['sent', 'delivered']);
      await settle();

      expect(sent.attempts).to.equal(failures + 1);
      expect(twilio.messages().filter((m) => m.to === user.phone)).to.have.length(1);
    });
  }

  for (const { phone, code, refusal } of [
    { phone: '+15005550001', code: 21211, refusal: 'as invalid' },
    { phone: '+15005550009', code: 21614, refusal: 'that is not mobile' },
  ]) {
    it(`When Twilio refuses a number ${refusal} (${code}), then the delivery fails at once naming the code`, async () => {
      const { users } = await notificationService();
      const user = users.addUser({ phone });

      await requestWelcome(user.id, ['sms']);
      const failed = await deliveryReaching(user.id, 'sms', ['failed', 'sent']);

      expect(failed).to.deep.include({ status: 'failed', attempts: 1, recipient: phone });
      expect(failed.lastError).to.match(new RegExp(`^Twilio 400 \\(${code}\\)`));
    });
  }

  it('When the service is set to a Twilio messaging service, then the SMS names it instead of a From number', async () => {
    const { twilio, users } = await notificationService();
    const messagingServiceSid = `MG${'ab'.repeat(16)}`;
    const user = users.addUser({ phone: uniquePhone() });

    await withOwnInstance(
      { env: { TWILIO_MESSAGING_SERVICE_SID: messagingServiceSid } },
      async (instance) => {
        await requestWelcome(user.id, ['sms'], instance.url);
        const sms = await eventually(() => twilio.messages().find((m) => m.to === user.phone), 'the SMS');

        expect(sms).to.deep.include({ messagingServiceSid, from: null });
      },
    );
  });
});
