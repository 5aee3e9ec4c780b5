// What the end-to-end tests share: clients signed in the way a shopper or the admin would be, the
// products and orders they make, what the sandboxes received, and the failure a call is expected to end in.
import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Problem, ROLE_PERMISSIONS, ShopClient, type Order, type ShippingAddress } from '@escalable/shop-sdk';
import { keyIdOf, signAccessToken } from '@escalable/shop-sdk/internal';
import { adminCredentials, e2eStack, gatewayUrl, stackSecrets } from './stack.js';

export const newEmail = (): string => `e2e-${randomUUID().slice(0, 8)}@example.test`;
/** An Argentine mobile number in E.164, as user-service takes it. */
export const newPhone = (): string => `+54911${randomInt(10_000_000, 99_999_999)}`;
export const PASSWORD = 'correct horse battery';

// Every client the suite made: the log check looks for the tokens they were given.
const clients: ShopClient[] = [];

export const visitor = (): ShopClient => {
  const client = new ShopClient({ baseUrl: gatewayUrl() });
  clients.push(client);
  return client;
};

/** The access, refresh and guest cart tokens the suite's clients hold now. */
export const heldTokens = (): string[] =>
  clients.flatMap((client) =>
    [client.tokens?.accessToken, client.tokens?.refreshToken, client.cart.guestToken].filter(
      (token): token is string => Boolean(token),
    ),
  );

export async function signedInAdmin(): Promise<ShopClient> {
  const admin = visitor();
  await admin.auth.login(adminCredentials());
  return admin;
}

export async function signedUpShopper(name = 'Ana', phone?: string): Promise<ShopClient> {
  const shopper = visitor();
  await shopper.auth.register({ email: newEmail(), password: PASSWORD, name, ...(phone ? { phone } : {}) });
  return shopper;
}

/** Polls `read` until it gives a value. */
export async function waitFor<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

export const shippingAddress: ShippingAddress = {
  recipient: 'Ana Compradora',
  line1: 'Av. Corrientes 1234',
  city: 'Buenos Aires',
  postalCode: 'C1043',
  country: 'AR',
  isDefault: true,
};

/** An active product named `Mate <run>` with one variant of `stock` units at 12 500.00 ARS. */
export async function variantWith(admin: ShopClient, stock: number) {
  const run = randomUUID().slice(0, 8).toUpperCase();
  const product = await admin.products.create({
    name: `Mate ${run}`,
    status: 'active',
    variants: [
      {
        sku: `E2E-${run}`,
        options: { color: 'negro' },
        price: { amount: 1_250_000, currency: 'ARS' },
        stock,
      },
    ],
  });
  return { run, productId: product.id, variantId: product.variants[0]!.id };
}

export async function stockOf(admin: ShopClient, productId: string, variantId: string) {
  const ledger = await admin.products.stockLedger(productId, variantId, { limit: 1 });
  return { onHand: ledger.onHand, reserved: ledger.reserved };
}

/** The MercadoPago sandbox: where a buyer pays, and what it received. */
export const paymentSandbox = () => e2eStack().sandboxes.mercadopago;

/** The MercadoPago preference a checkout URL opens. */
export const preferenceOf = (checkoutUrl: string): string =>
  new URL(checkoutUrl).searchParams.get('pref_id')!;

export async function orderReaching(
  shopper: ShopClient,
  orderId: string,
  status: Order['status'],
  timeoutMs = 30_000,
) {
  return waitFor(
    async () => {
      const order = await shopper.orders.get(orderId);
      return order.status === status ? order : undefined;
    },
    `order ${orderId} to be ${status}`,
    timeoutMs,
  );
}

/** The e-mails the SMTP sandbox received for `email`. */
export const emailsTo = (email: string) =>
  e2eStack()
    .sandboxes.smtp.messages()
    .filter((message) => message.to.includes(email));

/** The subjects of the e-mails the SMTP sandbox received for `email`. */
export const subjectsTo = (email: string): string[] => emailsTo(email).map((message) => message.subject);

/** The texts the Twilio sandbox received for `phone`. */
export const textsTo = (phone: string): string[] =>
  e2eStack()
    .sandboxes.twilio.messages()
    .filter((sms) => sms.to === phone)
    .map((sms) => sms.body);

const pesos = (minor: number) =>
  new Intl.NumberFormat('es-AR', { style: 'currency', currency: 'ARS' }).format(minor / 100);

/** One step of an order as a Spanish-speaking buyer is told of it: the e-mail's subject and the SMS. */
export interface OrderNotice {
  subject: string;
  sms: string;
}

/** What notification-service writes for each step of an order (amounts in ARS minor units). */
export const orderNotice = {
  placed: (orderId: string, total: number): OrderNotice => ({
    subject: `Recibimos tu pedido ${orderId}`,
    sms: `Escalable: recibimos tu pedido ${orderId} por ${pesos(total)}.`,
  }),
  paid: (orderId: string, amount: number): OrderNotice => ({
    subject: `Pago aprobado: pedido ${orderId}`,
    sms: `Escalable: aprobamos tu pago de ${pesos(amount)} del pedido ${orderId}.`,
  }),
  rejected: (orderId: string): OrderNotice => ({
    subject: `Pago rechazado: pedido ${orderId}`,
    sms: `Escalable: el pago del pedido ${orderId} fue rechazado. Podés intentar con otro medio de pago.`,
  }),
  shipped: (orderId: string, carrier: string, trackingNumber: string): OrderNotice => ({
    subject: `Tu pedido ${orderId} está en camino`,
    sms: `Escalable: tu pedido ${orderId} va en camino con ${carrier}. Seguimiento: ${trackingNumber}.`,
  }),
  delivered: (orderId: string): OrderNotice => ({
    subject: `Tu pedido ${orderId} fue entregado`,
    sms: `Escalable: tu pedido ${orderId} fue entregado.`,
  }),
  cancelled: (orderId: string): OrderNotice => ({
    subject: `Tu pedido ${orderId} fue cancelado`,
    sms: `Escalable: tu pedido ${orderId} fue cancelado.`,
  }),
  refunded: (orderId: string, amount: number): OrderNotice => ({
    subject: `Reintegro del pedido ${orderId}`,
    sms: `Escalable: te reintegramos ${pesos(amount)} del pedido ${orderId}.`,
  }),
};

/** The e-mail subjects and SMS texts about one order that reached the buyer's inboxes, sorted. */
export function noticesAbout(orderId: string, buyer: { email: string; phone: string }) {
  return {
    subjects: subjectsTo(buyer.email)
      .filter((subject) => subject.includes(orderId))
      .sort(),
    texts: textsTo(buyer.phone)
      .filter((text) => text.includes(orderId))
      .sort(),
  };
}

/** The notices of these steps in the shape {@link noticesAbout} answers: one e-mail and one SMS each. */
export function onePerStep(steps: OrderNotice[]) {
  return {
    subjects: steps.map((step) => step.subject).sort(),
    texts: steps.map((step) => step.sms).sort(),
  };
}

/**
 * A customer signed in with a token made by the stack's own key, as user-service would issue it: many
 * sign-ups would spend minutes hashing passwords on this machine.
 */
export async function tokenShopper(): Promise<ShopClient> {
  const { jwtPrivateKey } = await stackSecrets();
  const shopper = new ShopClient({ baseUrl: gatewayUrl(), timeoutMs: 60_000 });
  const claims = { sub: randomUUID(), email: newEmail(), roles: ['customer' as const] };
  const accessToken = signAccessToken(
    { ...claims, permissions: [...ROLE_PERMISSIONS.customer] },
    { privateKey: jwtPrivateKey, kid: keyIdOf(jwtPrivateKey) },
    900,
  );
  shopper.tokens = {
    tokenType: 'Bearer',
    accessToken,
    expiresIn: 900,
    refreshToken: '',
    refreshExpiresIn: 0,
  };
  clients.push(shopper);
  return shopper;
}

/** The Problem a call must fail with; a call that succeeds fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<Problem> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome, 'the call should have failed').to.be.instanceOf(Problem);
  return outcome as Problem;
}
