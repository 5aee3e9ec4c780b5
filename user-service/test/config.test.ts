import { expect } from 'chai';
import { ConfigError } from '@escalable/shop-sdk/server';
import { readConfig } from '../src/config.js';
import { loadSigningKeys } from '../src/domain/signing-keys.js';

const required = {
  DATABASE_URL: 'postgres://localhost/users',
  SERVICE_SECRET: 'x'.repeat(32),
  JWT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----',
};

describe('Signing key configuration', () => {
  it('When JWT_PRIVATE_KEY is not a readable key, then start stops with one line naming it, not its value', () => {
    const pasted = '-----BEGIN PRIVATE KEY-----\nnot-really-a-key-4f1d\n-----END PRIVATE KEY-----';

    const attempt = () => loadSigningKeys(pasted);

    expect(attempt).to.throw(
      ConfigError,
      /^invalid configuration: JWT_PRIVATE_KEY is not a readable PEM key$/,
    );
    expect(attempt).to.not.throw(/not-really-a-key/);
  });
});

describe('Access token lifetime', () => {
  it('When ACCESS_TOKEN_TTL_SECONDS is over 300, then start stops naming it; unset, it is 300', () => {
    const tooLong = () => readConfig({ ...required, ACCESS_TOKEN_TTL_SECONDS: '301' });

    expect(tooLong).to.throw(ConfigError, /ACCESS_TOKEN_TTL_SECONDS/);
    expect(readConfig(required).ACCESS_TOKEN_TTL_SECONDS).to.equal(300);
  });
});

describe('notification-service address', () => {
  it('When NOTIFICATION_SERVICE_URL holds something that is not a URL, then start stops naming it; a list of URLs passes', () => {
    const wrong = () =>
      readConfig({ ...required, NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:4601,notification-service' });

    expect(wrong).to.throw(ConfigError, /NOTIFICATION_SERVICE_URL/);
    expect(
      readConfig({ ...required, NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:4601, http://127.0.0.1:4602' })
        .NOTIFICATION_SERVICE_URL,
    ).to.equal('http://127.0.0.1:4601, http://127.0.0.1:4602');
  });
});
