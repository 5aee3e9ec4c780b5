import { expect } from 'chai';
import { createLogger } from '@escalable/shop-sdk/server';
import { LOG_REDACTIONS } from '../src/app.js';
import {
  ACCESS_TOKEN,
  WEBHOOK_SECRET,
  call,
  checkoutRequest,
  notification,
  paymentReaching,
  paymentService,
  requestCheckout,
} from './harness.js';

describe('logs', () => {
  it('When an instance takes checkouts and signed or forged webhooks, then its logs never carry the access token, the webhook secret or x-signature', async () => {
    // Arrange
    const { startInstance, mercadopago } = await paymentService();
    const lines: string[] = [];
    const logger = createLogger('payment-service', 'trace', {
      redact: LOG_REDACTIONS,
      destination: { write: (line: string) => lines.push(line) },
    });
    const instance = await startInstance(logger);
    try {
      const request = checkoutRequest();
      const checkout = await requestCheckout<{ preferenceId: string }>(request);
      mercadopago.dropNextNotifications(1);
      const paid = await mercadopago.pay(checkout.body.preferenceId, 'approve');
      const signed = notification(String(paid.id));
      const forged = notification(String(paid.id), { secret: 'not-the-secret' });

      // Act
      const accepted = await call(instance.url, 'POST', signed.path, {
        headers: signed.headers,
        body: signed.body,
      });
      const refused = await call(instance.url, 'POST', forged.path, {
        headers: forged.headers,
        body: forged.body,
      });
      await paymentReaching(request.orderId, 'approved');

      // Assert
      expect([accepted.status, refused.status]).to.deep.equal([200, 401]);
      const written = lines.join('\n');
      expect(written).to.include('webhook signature refused');
      expect(written).to.include('/api/payments/webhooks/mercadopago');
      for (const secret of [
        ACCESS_TOKEN,
        WEBHOOK_SECRET,
        signed.headers['x-signature'],
        forged.headers['x-signature'],
      ])
        expect(written).to.not.include(secret);
    } finally {
      await instance.close();
    }
  });
});
