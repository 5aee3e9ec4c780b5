import { expect } from 'chai';
import { readyBanner } from '../../src/dev-stack/banner.js';
import { DEFAULT_ADMIN } from '../../src/dev-stack/stack.js';

describe('dev stack: the ready banner', () => {
  const facts = {
    gatewayUrl: 'http://127.0.0.1:8080',
    services: ['user-service', 'product-service'],
    seconds: 3.25,
  };

  it("When ADMIN_PASSWORD is set to a password of the developer's choosing, then the banner names where it came from, not the password", () => {
    // Arrange
    const admin = { email: 'owner@shop.test', password: 'my own Secret-42' };

    // Act
    const banner = readyBanner({ ...facts, admin });

    // Assert
    expect(banner).not.to.include(admin.password);
    expect(banner).to.include('admin owner@shop.test / (from ADMIN_PASSWORD)');
  });

  it('When the admin has the built-in development password, then the banner shows it to sign in with', () => {
    // Act
    const banner = readyBanner({ ...facts, admin: DEFAULT_ADMIN });

    // Assert
    expect(banner).to.equal(
      `Escalable shop ready at http://127.0.0.1:8080 in 3.3 s (user-service, product-service; admin ${DEFAULT_ADMIN.email} / ${DEFAULT_ADMIN.password}). Ctrl-C stops it.`,
    );
  });
});
