import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { request } from 'undici';
import { newEmail, visitor } from './clients.js';
import { e2eStack, killInstance } from './stack.js';

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

const emailsTo = (address: string) =>
  e2eStack()
    .sandboxes.smtp.messages()
    .filter((message) => message.to.includes(address));

async function signUp(fields: { name: string; phone?: string }) {
  const email = newEmail();
  const { user } = await visitor().auth.register({ email, password: 'correct horse battery', ...fields });
  return { id: user.id, email };
}

/** `outbox_pending` as one user-service instance's /metrics shows it (the table is shared). */
async function pendingInUserServiceOutbox(): Promise<number> {
  const instance = e2eStack().instances.find((candidate) => candidate.service.name === 'user-service')!;
  const metrics = await (await request(`${instance.url}/metrics`)).body.text();
  return Number(/^outbox_pending\{[^}]*\} (\d+)$/m.exec(metrics)?.[1]);
}

describe('Notifications through the gateway', () => {
  it('When a shopper with a phone signs up, then a welcome e-mail reaches the dev inbox and an SMS the Twilio sandbox', async () => {
    const phone = `+54911${randomInt(10_000_000, 99_999_999)}`;

    const shopper = await signUp({ name: 'Ana Bienvenida', phone });
    const texts = () =>
      e2eStack()
        .sandboxes.twilio.messages()
        .filter((sms) => sms.to === phone);
    await waitFor(() => emailsTo(shopper.email).length > 0 && texts().length > 0, 30_000);

    const [email] = emailsTo(shopper.email);
    expect(email!.subject).to.equal('¡Te damos la bienvenida a Escalable, Ana Bienvenida!');
    expect(email!.html).to.include('Ana Bienvenida');
    expect(texts()).to.have.length(1);
    expect(texts()[0]!.body).to.include('Ana Bienvenida');
  });

  it('When both notification-service instances are down while 5 shoppers sign up, then after they restart each welcome arrives exactly once', async () => {
    const names = e2eStack()
      .instances.filter((instance) => instance.service.name === 'notification-service')
      .map((instance) => instance.name);
    await Promise.all(names.map(killInstance));

    let shoppers: Array<{ email: string }> = [];
    let pendingWhileDown = 0;
    try {
      shoppers = await Promise.all([1, 2, 3, 4, 5].map((n) => signUp({ name: `Cliente ${n}` })));
      pendingWhileDown = await pendingInUserServiceOutbox();
    } finally {
      await Promise.all(names.map((name) => e2eStack().restart(name)));
    }
    await waitFor(() => shoppers.every((shopper) => emailsTo(shopper.email).length > 0), 90_000);
    await sleep(3_000);

    expect(pendingWhileDown).to.be.at.least(5);
    expect(shoppers.map((shopper) => emailsTo(shopper.email).length)).to.deep.equal([1, 1, 1, 1, 1]);
  }).timeout(180_000);
});
