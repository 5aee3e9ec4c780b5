import { expect } from 'chai';
import { ConfigError } from '@escalable/shop-sdk/server';
import { readConfig } from '../src/config.js';

const valid = {
  DATABASE_URL: 'postgres://localhost/notifications',
  SERVICE_SECRET: 'x'.repeat(32),
  USER_SERVICE_URL: 'http://127.0.0.1:4101',
  SMTP_HOST: 'smtp.example.com',
  MAIL_FROM: 'Escalable <no-reply@escalable.shop>',
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'a-secret-token',
  TWILIO_FROM: '+15005550006',
  PUBLIC_BASE_URL: 'https://shop.example.com',
};

describe('Configuration', () => {
  it('When neither a Twilio sender number nor a messaging service is set, then start-up stops naming both', () => {
    const { TWILIO_FROM: _omitted, ...withoutSender } = valid;

    expect(() => readConfig(withoutSender)).to.throw(
      ConfigError,
      'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required',
    );
  });

  it('When settings are wrong, then the error names each and never shows a value', () => {
    const wrong = {
      ...valid,
      TWILIO_ACCOUNT_SID: 'not-a-sid',
      SMTP_SECURE: 'yes',
      PUBLIC_BASE_URL: 'a-secret-token',
    };

    const message = (() => {
      try {
        readConfig(wrong);
        return '';
      } catch (error) {
        return error instanceof ConfigError ? error.message : String(error);
      }
    })();

    for (const name of ['TWILIO_ACCOUNT_SID', 'SMTP_SECURE', 'PUBLIC_BASE_URL'])
      expect(message).to.include(name);
    expect(message).to.not.include('a-secret-token');
  });

  it('When only the required settings are given, then the delivery defaults apply', () => {
    const config = readConfig(valid);

    expect(config).to.deep.include({
      SMTP_PORT: 587,
      SMTP_SECURE: false,
      MAX_ATTEMPTS: 8,
      RETRY_BASE_DELAY_MS: 2_000,
      DELIVERY_LEASE_MS: 120_000,
    });
  });
});
