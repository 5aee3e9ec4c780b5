import { expect } from 'chai';
import { createLogger } from '@escalable/shop-sdk/server';
import {
  deliveryReaching,
  notificationService,
  requestWelcome,
  TWILIO_AUTH_TOKEN,
  withOwnInstance,
} from './harness.js';

describe('Logs', () => {
  it("When an instance sends, retries and fails deliveries, then its logs say which delivery and how it ended, never the recipient's address or phone, nor the Twilio token", async () => {
    const { smtp, users } = await notificationService();
    const lines: string[] = [];
    const logger = createLogger('notification-service', 'trace', {
      destination: { write: (line: string) => lines.push(line) },
    });
    const sent = users.addUser({ phone: '+5491155550101' });
    const refused = users.addUser();

    await withOwnInstance({ logger }, async (instance) => {
      await requestWelcome(sent.id, ['email', 'sms'], instance.url);
      await deliveryReaching(sent.id, 'sms', ['sent', 'delivered']);
      await deliveryReaching(sent.id, 'email', ['sent']);
      smtp.refuseNext(1, { code: 550, message: `5.1.1 <${refused.email}>: Recipient address rejected` });
      await requestWelcome(refused.id, ['email'], instance.url);
      const failed = await deliveryReaching(refused.id, 'email', ['failed']);

      const logged = lines.join('');
      expect(logged).to.include('notification sent').and.include(failed.id);
      for (const secret of [sent.email, sent.phone!, refused.email, TWILIO_AUTH_TOKEN])
        expect(logged).to.not.include(secret);
    });
  });
});
