import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import twilio from 'twilio';
import {
  call,
  deliveryReaching,
  notificationService,
  requestNotification,
  settle,
  TWILIO_AUTH_TOKEN,
  type ProblemBody,
} from './harness.js';

const STATUS_PATH = '/api/notifications/twilio/status';

/** A status callback as Twilio posts it, signed with `authToken` for the public URL. */
async function postStatus(params: Record<string, string>, signature: string | null) {
  const { gateway } = await notificationService();
  return call<ProblemBody>(gateway.url, 'POST', STATUS_PATH, {
    rawBody: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
  });
}

async function signedBy(authToken: string, params: Record<string, string>) {
  const { gateway } = await notificationService();
  return twilio.getExpectedTwilioSignature(authToken, `${gateway.url}${STATUS_PATH}`, params);
}

/** An SMS sent and recorded as delivered by the sandbox's own callbacks. */
async function deliveredSms() {
  const { users } = await notificationService();
  const user = users.addUser({ phone: `+54911${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` });
  await requestNotification({
    type: 'welcome',
    recipient: { userId: user.id },
    channels: ['sms'],
    data: { name: 'Ana' },
  });
  const delivery = await deliveryReaching(user.id, 'sms', ['delivered']);
  return { user, delivery, sid: delivery.providerId! };
}

describe('Twilio status callbacks', () => {
  it('When a callback carries a signature made with another auth token, then 403 and the delivery does not change', async () => {
    const { user, sid } = await deliveredSms();
    const params = { MessageSid: sid, MessageStatus: 'undelivered', AccountSid: 'AC0', ErrorCode: '30003' };

    const answer = await postStatus(params, await signedBy('not-our-token', params));

    expect(answer.status).to.equal(403);
    expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
    expect((await deliveryReaching(user.id, 'sms', ['delivered', 'failed'])).status).to.equal('delivered');
  });

  it('When a callback has no signature, or its parameters were changed after signing, then 403', async () => {
    const { sid } = await deliveredSms();
    const signed = { MessageSid: sid, MessageStatus: 'sent' };

    const unsigned = await postStatus({ MessageSid: sid, MessageStatus: 'failed' }, null);
    const tampered = await postStatus(
      { MessageSid: sid, MessageStatus: 'failed' },
      await signedBy(TWILIO_AUTH_TOKEN, signed),
    );

    expect([unsigned.status, tampered.status]).to.deep.equal([403, 403]);
  });

  describe('while the sandbox cannot reach the service, so only these callbacks arrive', () => {
    async function sentSms() {
      const { users, gateway } = await notificationService();
      gateway.closed = true;
      const user = users.addUser({
        phone: `+54911${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      });
      await requestNotification({
        type: 'welcome',
        recipient: { userId: user.id },
        channels: ['sms'],
        data: { name: 'Ana' },
      });
      const delivery = await deliveryReaching(user.id, 'sms', ['sent']);
      // The sandbox tries each callback 4 times, 20 ms apart doubling (about 300 ms per status):
      // by now it has given up on both, so nothing it sends can race the callbacks below.
      await settle(1_000);
      gateway.closed = false;
      return { user, sid: delivery.providerId! };
    }

    afterEach(async () => {
      (await notificationService()).gateway.closed = false;
    });

    it('When a correctly signed callback says delivered, then the delivery is delivered', async () => {
      const { user, sid } = await sentSms();
      const params = { MessageSid: sid, MessageStatus: 'delivered', AccountSid: 'AC0' };

      const answer = await postStatus(params, await signedBy(TWILIO_AUTH_TOKEN, params));
      const after = await deliveryReaching(user.id, 'sms', ['delivered', 'sent', 'failed']);

      expect(answer.status).to.equal(204);
      expect(after.status).to.equal('delivered');
    });

    it('When a correctly signed callback says undelivered, then the delivery is failed with the error code', async () => {
      const { user, sid } = await sentSms();
      const params = { MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' };

      const answer = await postStatus(params, await signedBy(TWILIO_AUTH_TOKEN, params));
      const after = await deliveryReaching(user.id, 'sms', ['delivered', 'sent', 'failed']);

      expect(answer.status).to.equal(204);
      expect(after).to.deep.include({ status: 'failed', lastError: 'Twilio: undelivered (30003)' });
    });

    it('When a signed callback names a status that is an object property (constructor, __proto__...), then 204 and the delivery stays sent', async () => {
      const { user, sid } = await sentSms();
      const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

      const answers = [];
      for (const name of names) {
        const params = { MessageSid: sid, MessageStatus: name };
        answers.push((await postStatus(params, await signedBy(TWILIO_AUTH_TOKEN, params))).status);
      }
      const after = await deliveryReaching(user.id, 'sms', ['delivered', 'sent', 'failed']);

      expect(answers).to.deep.equal(names.map(() => 204));
      expect(after.status).to.equal('sent');
    });

    it('When a signed failed callback carries a 500 KB error code, then 400 naming ErrorCode and the delivery stays sent', async () => {
      const { user, sid } = await sentSms();
      const params = { MessageSid: sid, MessageStatus: 'failed', ErrorCode: '3'.repeat(500_000) };

      const answer = await postStatus(params, await signedBy(TWILIO_AUTH_TOKEN, params));
      const after = await deliveryReaching(user.id, 'sms', ['delivered', 'sent', 'failed']);

      expect(answer.status).to.equal(400);
      expect(JSON.stringify(answer.body)).to.include('ErrorCode');
      expect(after).to.deep.include({ status: 'sent', lastError: null });
    });

    it('When a signature is wrong, then the sent delivery stays sent', async () => {
      const { user, sid } = await sentSms();
      const params = { MessageSid: sid, MessageStatus: 'delivered' };

      const answer = await postStatus(params, await signedBy('not-our-token', params));
      const after = await deliveryReaching(user.id, 'sms', ['delivered', 'sent', 'failed']);

      expect(answer.status).to.equal(403);
      expect(after.status).to.equal('sent');
    });
  });

  it('When a signed "sent" arrives after "delivered", then the delivery stays delivered', async () => {
    const { user, sid } = await deliveredSms();
    const params = { MessageSid: sid, MessageStatus: 'sent' };

    const answer = await postStatus(params, await signedBy(TWILIO_AUTH_TOKEN, params));

    expect(answer.status).to.equal(204);
    expect((await deliveryReaching(user.id, 'sms', ['delivered', 'sent'])).status).to.equal('delivered');
  });

  it('When a signed callback names a message that is not ours, then 404', async () => {
    await notificationService();
    const params = { MessageSid: `SM${randomUUID().replace(/-/g, '')}`, MessageStatus: 'delivered' };

    const answer = await postStatus(params, await signedBy(TWILIO_AUTH_TOKEN, params));

    expect(answer.status).to.equal(404);
  });

  it('When another route is sent a form body, then 415: only the callback route reads forms', async () => {
    const { url } = await notificationService();

    const answer = await call(url, 'POST', '/internal/notifications', {
      rawBody: 'type=welcome',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'k' },
    });

    expect(answer.status).to.equal(415);
  });
});
