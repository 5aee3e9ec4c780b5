import { expect } from 'chai';
import { countRows } from '@escalable/shop-sdk/testing';
import type { UserContact } from '@escalable/shop-sdk';
import { emailTo, notificationService, requestNotification, type ProblemBody } from './harness.js';

/** Intl separates the currency sign with a no-break space; the tests read it as a plain one. */
const plain = (text: string) => text.replace(/\s+/g, ' ');

const orderPlaced = {
  orderId: 'ord_9',
  orderNumber: 'A-1001',
  total: { amount: 1234567, currency: 'ARS' },
  items: [
    { name: 'Remera <lisa>', quantity: 2 },
    { name: 'Gorra', quantity: 1 },
  ],
};

/** Asks for an e-mail of `type` to a stored user, and waits for it in the inbox. */
async function emailFor(user: UserContact, request: { type: string; data: unknown; locale?: string }) {
  await requestNotification({ recipient: { userId: user.id }, channels: ['email'], ...request });
  return emailTo(user.email!);
}

describe('Templates', () => {
  it('When an order-placed e-mail goes to a Spanish-speaking user, then it is written in Spanish with the total in es-AR pesos', async () => {
    const { users } = await notificationService();
    const user = users.addUser({ locale: 'es', name: 'Ana' });

    const message = await emailFor(user, { type: 'order-placed', data: orderPlaced });

    expect(message.subject).to.equal('Recibimos tu pedido A-1001');
    expect(plain(message.text)).to.include('Hola Ana:').and.include('Total: $ 12.345,67.');
    expect(message.text).to.include('- 2 × Remera <lisa>').and.include('- 1 × Gorra');
    expect(plain(message.html))
      .to.include('<li>2 × Remera &lt;lisa&gt;</li>')
      .and.include('Total: $ 12.345,67.');
  });

  it('When the same e-mail goes to an English-speaking user, then it is written in English with the total in en-US ARS', async () => {
    const { users } = await notificationService();
    const user = users.addUser({ locale: 'en', name: 'Ann' });

    const message = await emailFor(user, { type: 'order-placed', data: orderPlaced });

    expect(message.subject).to.equal('We received your order A-1001');
    expect(plain(message.text)).to.include('Hi Ann,').and.include('Total: ARS 12,345.67.');
  });

  it("When the request names a locale, then it wins over the user's profile", async () => {
    const { users } = await notificationService();
    const user = users.addUser({ locale: 'es' });

    const message = await emailFor(user, {
      type: 'payment-approved',
      locale: 'en',
      data: { orderId: 'ord_5', amount: { amount: 150000, currency: 'USD' } },
    });

    expect(message.subject).to.equal('Payment approved: order ord_5');
    expect(message.text).to.include('We received your payment of $1,500.00.');
  });

  it('When a password-changed e-mail is sent, then the time is shown in the shop time zone', async () => {
    const { users } = await notificationService();
    const user = users.addUser({ locale: 'es' });

    const message = await emailFor(user, {
      type: 'password-changed',
      data: { name: 'Ana', changedAt: '2026-03-05T18:30:00Z' },
    });

    expect(message.subject).to.equal('Cambiaste tu contraseña');
    expect(plain(message.text)).to.include('se cambió el 5 de marzo de 2026 a las 3:30 p. m.');
  });
});

describe('Template data checked at the API', () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['welcome without a name', { type: 'welcome', data: {} }, 'data.name', 'Invalid input'],
    [
      'order-placed without a total',
      { type: 'order-placed', data: { orderId: 'o1', items: [{ name: 'x', quantity: 1 }] } },
      'data.total',
      'Invalid input',
    ],
    [
      'order-shipped without a tracking number',
      { type: 'order-shipped', data: { orderId: 'o1', carrier: 'OCA' } },
      'data.trackingNumber',
      'Invalid input',
    ],
    [
      'a refund in an unknown currency',
      { type: 'order-refunded', data: { orderId: 'o1', amount: { amount: 1, currency: 'XYZ' } } },
      'data.amount.currency',
      'must be an ISO 4217 code, e.g. ARS',
    ],
    [
      'a password change with no date-time',
      { type: 'password-changed', data: { name: 'A', changedAt: 'yesterday' } },
      'data.changedAt',
      'must be an ISO 8601 date-time',
    ],
    [
      'a field the template does not know',
      { type: 'welcome', data: { name: 'A', coupon: 'X' } },
      'data.coupon',
      'is not an accepted field',
    ],
    ['an unknown type', { type: 'birthday', data: {} }, 'type', ''],
  ];
  for (const [what, request, name, reason] of cases) {
    it(`When the request has ${what}, then 400 naming ${name} and nothing is stored`, async () => {
      const { users, db } = await notificationService();
      const user = users.addUser();
      const stored = await countRows(db, 'notifications');

      const answer = await requestNotification<ProblemBody>({
        recipient: { userId: user.id },
        channels: ['email'],
        ...request,
      });

      expect(answer.status).to.equal(400);
      expect(await countRows(db, 'notifications')).to.equal(stored);
      const param = answer.body.invalidParams.find((p) => p.name === name);
      expect(param, JSON.stringify(answer.body.invalidParams)).to.not.equal(undefined);
      if (reason) expect(param!.reason).to.include(reason);
    });
  }

  it('When an e-mail is asked for a bare recipient without an address, then 400 naming recipient.email', async () => {
    await notificationService();

    const answer = await requestNotification<ProblemBody>({
      type: 'welcome',
      recipient: { phone: '+5491122334455' },
      channels: ['email', 'sms'],
      data: { name: 'Ana' },
    });

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((p) => p.name)).to.deep.equal(['recipient.email']);
  });

  it('When the recipient mixes a userId with an address, or a channel repeats, then 400 naming each', async () => {
    await notificationService();

    const answer = await requestNotification<ProblemBody>({
      type: 'welcome',
      recipient: { userId: '0b0f7c1e-8a43-4c51-9d39-0c3e8f6d2a11', email: 'x@example.com' },
      channels: ['email', 'email'],
      data: { name: 'Ana' },
    });

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((p) => p.name)).to.have.members(['recipient.userId', 'channels']);
  });
});
