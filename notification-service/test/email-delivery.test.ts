import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { NotificationAccepted } from '@escalable/shop-sdk';
import {
  deliveryLog,
  deliveryReaching,
  emailTo,
  eventually,
  notificationService,
  requestNotification,
  requestWelcome,
  settle,
  withOwnInstance,
} from './harness.js';

describe('E-mail delivery', () => {
  it('When user-service asks for a welcome e-mail, then 202 with a pending delivery and the e-mail arrives in the inbox, HTML and text', async () => {
    const { users } = await notificationService();
    const user = users.addUser({ name: 'Ana <b>', locale: 'es' });

    const answer = await requestNotification<NotificationAccepted>({
      type: 'welcome',
      recipient: { userId: user.id },
      channels: ['email'],
      data: { name: 'Ana <b>' },
    });
    const message = await emailTo(user.email, 'the welcome e-mail');

    expect(answer.status).to.equal(202);
    expect(answer.body.type).to.equal('welcome');
    expect(answer.body.deliveries.map((d) => [d.channel, d.status])).to.deep.equal([['email', 'pending']]);
    expect(message.from).to.equal('no-reply@escalable.test');
    expect(message.subject).to.equal('¡Te damos la bienvenida a Escalable, Ana <b>!');
    expect(message.text).to.include('Hola Ana <b>:').and.include('Tu cuenta está lista.');
    expect(message.html).to.include('Hola Ana &lt;b&gt;:').and.not.include('<b>');
    const delivery = await deliveryReaching(user.id, 'email', ['sent']);
    expect(delivery).to.deep.include({ recipient: user.email, attempts: 1, lastError: null });
    expect(delivery.providerId).to.match(/^<[0-9a-f]{40}@escalable\.test>$/);
  });
});

describe('E-mail delivery when something fails', () => {
  it('When SMTP is down, then the delivery is retried and, once SMTP is back, the e-mail arrives exactly once', async () => {
    const { smtp, users } = await notificationService();
    const user = users.addUser();
    await smtp.setDown(true);

    try {
      await requestWelcome(user.id, ['email']);
      const waiting = await eventually(async () => {
        const [delivery] = await deliveryLog(`recipient=${user.id}`);
        return delivery && delivery.attempts >= 2 && delivery.status === 'pending' ? delivery : undefined;
      }, 'two failed attempts');
      expect(waiting.lastError).to.match(/^SMTP /);
    } finally {
      await smtp.setDown(false);
    }
    const sent = await deliveryReaching(user.id, 'email', ['sent']);
    await settle();

    expect(smtp.messages().filter((m) => m.to.includes(user.email))).to.have.length(1);
    expect(sent.attempts).to.be.greaterThan(2);
    expect(sent.lastError).to.equal(null);
  });

  it('When SMTP stays down past the last attempt, then the delivery fails naming the attempts and the last reason', async () => {
    const { smtp, users } = await notificationService();
    const user = users.addUser();

    await withOwnInstance({ env: { MAX_ATTEMPTS: '2' } }, async (instance) => {
      await smtp.setDown(true);
      try {
        await requestWelcome(user.id, ['email'], instance.url);
        const failed = await deliveryReaching(user.id, 'email', ['failed', 'sent']);

        expect(failed).to.deep.include({ status: 'failed', attempts: 2 });
        expect(failed.lastError).to.match(/^gave up after 2 attempts: SMTP /);
      } finally {
        await smtp.setDown(false);
      }
    });
  });

  it('When the SMTP server answers 421 twice, then a later attempt delivers it once', async () => {
    const { smtp, users } = await notificationService();
    const user = users.addUser();
    smtp.refuseNext(2, { code: 421, message: 'Try again later' });

    await requestWelcome(user.id, ['email']);
    const sent = await deliveryReaching(user.id, 'email', ['sent']);

    // Nodemailer's pool gives one refusal a second try itself; the worker retries the rest, however
    // the pool's connections happen to stand.
    expect(sent.attempts).to.be.greaterThan(1);
    expect(smtp.messages().filter((m) => m.to.includes(user.email))).to.have.length(1);
  });

  it('When the SMTP server refuses the message with 550, then the delivery fails at once with the reply as its reason', async () => {
    const { smtp, users } = await notificationService();
    const user = users.addUser();
    smtp.refuseNext(1, { code: 550, message: 'Mailbox unavailable' });

    await requestWelcome(user.id, ['email']);
    const failed = await deliveryReaching(user.id, 'email', ['failed', 'sent']);
    await settle();

    expect(failed).to.deep.include({ status: 'failed', attempts: 1, recipient: user.email });
    expect(failed.lastError).to.match(/^SMTP 550 .*Mailbox unavailable/);
    expect(smtp.messages().filter((m) => m.to.includes(user.email))).to.have.length(0);
  });

  it('When user-service cannot answer, then the delivery waits and is sent once it answers again', async () => {
    const { smtp, users } = await notificationService();
    const user = users.addUser();
    users.down = true;

    try {
      await requestWelcome(user.id, ['email']);
      const waiting = await eventually(async () => {
        const [delivery] = await deliveryLog(`recipient=${user.id}`);
        return delivery && delivery.attempts >= 1 && delivery.status === 'pending' ? delivery : undefined;
      }, 'a failed attempt');
      expect(waiting.lastError).to.match(/^user-service/);
    } finally {
      users.down = false;
    }
    await deliveryReaching(user.id, 'email', ['sent']);

    expect(smtp.messages().filter((m) => m.to.includes(user.email))).to.have.length(1);
  });

  it('When the user does not exist, then the delivery fails at once', async () => {
    await notificationService();
    const missingUser = randomUUID();

    await requestWelcome(missingUser, ['email']);
    const failed = await deliveryReaching(missingUser, 'email', ['failed', 'sent']);

    expect(failed).to.deep.include({ status: 'failed', attempts: 1, lastError: 'the user does not exist' });
  });

  it('When the recipient is a bare address, then the e-mail goes to it in Spanish by default', async () => {
    await notificationService();
    const email = `guest-${randomUUID().slice(0, 8)}@example.com`;

    await requestNotification({
      type: 'order-delivered',
      recipient: { email },
      channels: ['email'],
      data: { orderId: 'ord_77' },
    });
    const message = await emailTo(email);

    expect(message.subject).to.equal('Tu pedido ord_77 fue entregado');
    expect(message.text).to.match(/^Hola:/);
  });
});
