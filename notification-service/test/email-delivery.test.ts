import { expect } from 'chai';
import type { NotificationAccepted } from '@escalable/shop-sdk';
import { deliveryReaching, eventually, notificationService, requestNotification } from './harness.js';

describe('E-mail delivery', () => {
  it('When user-service asks for a welcome e-mail, then 202 with a pending delivery and the e-mail arrives in the inbox, HTML and text', async () => {
    const { smtp, users } = await notificationService();
    const user = users.addUser({ name: 'Ana <b>', locale: 'es' });

    const answer = await requestNotification<NotificationAccepted>({
      type: 'welcome',
      recipient: { userId: user.id },
      channels: ['email'],
      data: { name: 'Ana <b>' },
    });
    const message = await eventually(
      () => smtp.messages().find((m) => m.to.includes(user.email)),
      'the welcome e-mail',
    );

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
