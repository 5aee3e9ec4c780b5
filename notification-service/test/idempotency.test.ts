import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { NotificationAccepted } from '@escalable/shop-sdk';
import {
  call,
  deliveryReaching,
  notificationService,
  requestNotification,
  settle,
  type ProblemBody,
} from './harness.js';

const welcome = (userId: string, name = 'Ana') => ({
  type: 'welcome' as const,
  recipient: { userId },
  channels: ['email' as const],
  data: { name },
});

describe('POST /internal/notifications idempotency', () => {
  it('When the same request comes twice with one key, then both answer the same notification and one e-mail is sent', async () => {
    const { smtp, users, internal } = await notificationService();
    const user = users.addUser();
    const key = `welcome:${user.id}`;

    const first = await internal.send(welcome(user.id), key);
    await deliveryReaching(user.id, 'email', ['sent']);
    const again = await internal.send(welcome(user.id), key);
    await settle();

    expect(again.id).to.equal(first.id);
    expect(again.deliveries.map((d) => [d.id, d.status])).to.deep.equal([[first.deliveries[0]!.id, 'sent']]);
    expect(smtp.messages().filter((m) => m.to.includes(user.email))).to.have.length(1);
  });

  it('When the same request comes with its fields in another order, then it is still the same request', async () => {
    const { users } = await notificationService();
    const user = users.addUser();
    const key = randomUUID();

    const first = await requestNotification<NotificationAccepted>(welcome(user.id), key);
    const reordered = await requestNotification<NotificationAccepted>(
      { data: { name: 'Ana' }, channels: ['email'], recipient: { userId: user.id }, type: 'welcome' },
      key,
    );

    expect(reordered.status).to.equal(202);
    expect(reordered.body.id).to.equal(first.body.id);
  });

  it('When a key comes again with another body, then 422 and nothing new is stored or sent', async () => {
    const { smtp, users } = await notificationService();
    const user = users.addUser();
    const key = randomUUID();
    const first = await requestNotification<NotificationAccepted>(welcome(user.id), key);

    const reused = await requestNotification<ProblemBody>(welcome(user.id, 'Otra'), key);
    await deliveryReaching(user.id, 'email', ['sent']);
    await settle();

    expect(reused.status).to.equal(422);
    expect(reused.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(reused.body.type).to.match(/idempotency-key-reused$/);
    expect(reused.body).to.deep.include({ notificationId: first.body.id });
    const received = smtp.messages().filter((m) => m.to.includes(user.email));
    expect(received.map((m) => m.subject)).to.deep.equal(['¡Te damos la bienvenida a Escalable, Ana!']);
  });

  it('When 20 requests with one key race, then all answer the same notification and one e-mail is sent', async () => {
    const { smtp, users } = await notificationService();
    const user = users.addUser();
    const key = randomUUID();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => requestNotification<NotificationAccepted>(welcome(user.id), key)),
    );
    await deliveryReaching(user.id, 'email', ['sent']);
    await settle();

    expect(answers.map((a) => a.status)).to.deep.equal(Array(20).fill(202));
    expect(new Set(answers.map((a) => a.body.id)).size).to.equal(1);
    expect(smtp.messages().filter((m) => m.to.includes(user.email))).to.have.length(1);
  });

  it('When the Idempotency-Key is missing or longer than 200 characters, then 400 naming the header', async () => {
    const { users } = await notificationService();
    const user = users.addUser();

    const missing = await requestNotification<ProblemBody>(welcome(user.id), null);
    const tooLong = await requestNotification<ProblemBody>(welcome(user.id), 'k'.repeat(201));

    for (const answer of [missing, tooLong]) {
      expect(answer.status).to.equal(400);
      expect(answer.body.invalidParams.map((p) => [p.in, p.name])).to.deep.equal([
        ['header', 'Idempotency-Key'],
      ]);
    }
  });

  it('When the caller presents no service credentials, then 401', async () => {
    const { url, users } = await notificationService();
    const user = users.addUser();

    const answer = await call(url, 'POST', '/internal/notifications', {
      headers: { 'idempotency-key': randomUUID() },
      body: welcome(user.id),
    });

    expect(answer.status).to.equal(401);
  });
});
