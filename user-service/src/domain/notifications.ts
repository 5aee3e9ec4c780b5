import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { NotificationData, NotificationRequest } from '@escalable/shop-sdk';
import { enqueueOutbox } from '@escalable/shop-sdk/server';

interface Account {
  id: string;
  name: string;
}

/** Queues the welcome of a new account, sent once the sign-up commits; one per account, ever. */
export async function queueWelcome(account: Account, transaction: Transaction): Promise<void> {
  await queueNotification(transaction, `welcome:${account.id}`, account.id, 'welcome', {
    name: account.name,
  });
}

/** Queues the notice that the account's password changed, so an owner who did not change it finds out. */
export async function queuePasswordChanged(
  account: Account,
  changedAt: Date,
  transaction: Transaction,
): Promise<void> {
  // Each change is its own notice: the key only has to stay the same across the retries of one row.
  await queueNotification(transaction, `password-changed:${randomUUID()}`, account.id, 'password-changed', {
    name: account.name,
    changedAt: changedAt.toISOString(),
  });
}

/**
 * notification-service reads the contact (e-mail, phone, locale) from the user id when it sends, so the
 * message carries none; SMS is skipped there when the account has no phone.
 */
async function queueNotification<Type extends 'welcome' | 'password-changed'>(
  transaction: Transaction,
  idempotencyKey: string,
  userId: string,
  type: Type,
  data: NotificationData[Type],
): Promise<void> {
  const body: NotificationRequest = { type, recipient: { userId }, channels: ['email', 'sms'], data };
  await enqueueOutbox(transaction, {
    target: 'notification-service',
    method: 'POST',
    path: '/internal/notifications',
    body,
    idempotencyKey,
  });
}
