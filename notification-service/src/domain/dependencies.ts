import type { UserContact } from '@escalable/shop-sdk';
import type { Logger } from '@escalable/shop-sdk/server';
import type { EmailChannel } from './email-channel.js';
import type { SmsChannel } from './sms-channel.js';

/** What delivery needs of user-service: its UserServiceClient, built once in app.ts. */
export interface ContactDirectory {
  getContact(userId: string): Promise<UserContact>;
}

export interface DeliverySettings {
  /** Attempts before a delivery that keeps failing temporarily is failed. */
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  batchSize: number;
  leaseMs: number;
}

/** What the notification stories need besides the database, built once in app.ts. */
export interface NotificationDependencies {
  users: ContactDirectory;
  email: EmailChannel;
  sms: SmsChannel;
  delivery: DeliverySettings;
  logger: Logger;
}
