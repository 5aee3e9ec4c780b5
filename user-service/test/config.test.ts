import { expect } from 'chai';
import { ConfigError } from '@escalable/shop-sdk/server';
import { loadSigningKeys } from '../src/domain/signing-keys.js';

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
