// What the end-to-end tests share: clients signed in the way a shopper or the admin would be, and the
// failure a call is expected to end in.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Problem, ShopClient } from '@escalable/shop-sdk';
import { adminCredentials, gatewayUrl } from './stack.js';

export const newEmail = (): string => `e2e-${randomUUID().slice(0, 8)}@example.test`;

export const visitor = (): ShopClient => new ShopClient({ baseUrl: gatewayUrl() });

export async function signedInAdmin(): Promise<ShopClient> {
  const admin = visitor();
  await admin.auth.login(adminCredentials());
  return admin;
}

export async function signedUpShopper(name = 'Ana'): Promise<ShopClient> {
  const shopper = visitor();
  await shopper.auth.register({ email: newEmail(), password: 'correct horse battery', name });
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
