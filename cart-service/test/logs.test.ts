import { expect } from 'chai';
import { createLogger } from '@escalable/shop-sdk/server';
import { LOG_REDACTIONS } from '../src/app.js';
import { cartCall, cartService, givenInCart, newCustomer, type Shopper } from './harness.js';

describe('Logs', () => {
  it('When a guest opens, reads and merges a cart, then its token never reaches the logs, in the request or in the answer', async () => {
    const { catalog, startInstance } = await cartService();
    const lines: string[] = [];
    const logger = createLogger('cart-service', 'trace', {
      destination: { write: (line: string) => lines.push(line) },
      redact: LOG_REDACTIONS,
    });
    const instance = await startInstance({ logger });
    try {
      const guest: Shopper = {};
      await givenInCart(instance.url, guest, catalog.addVariant().variantId, 1);
      await cartCall(instance.url, guest, 'GET', '/api/cart');
      await cartCall(
        instance.url,
        { ...newCustomer(), cartToken: guest.cartToken },
        'POST',
        '/api/cart/merge',
      );

      const logged = lines.join('');
      expect(logged).to.include('/api/cart/merge').and.include('"x-cart-token":"[redacted]"');
      expect(logged).to.not.include(guest.cartToken!);
    } finally {
      await instance.close();
    }
  });
});
