import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { Problem } from '../src/index.js';
import { createTokenVerifier, HttpClient, type TokenVerifier } from '../src/internal.js';
import { createTestSigningKey, startStandIn, type TestSigningKey } from '../src/testing/index.js';

const jwkOf = (key: TestSigningKey) => ({
  ...createPublicKey(key.publicKeyPem).export({ format: 'jwk' }),
  kid: key.kid,
  use: 'sig',
  alg: 'RS256',
});

/** A user-service stand-in whose JWKS holds `published`, which a test may change. */
async function userServiceWith(published: TestSigningKey[]) {
  const standIn = await startStandIn((app) => {
    app.get('/.well-known/jwks.json', (_req, res) => {
      res.json({ keys: published.map(jwkOf) });
    });
  });
  const jwksReads = () =>
    standIn.received.filter((request) => request.path === '/.well-known/jwks.json').length;
  return { ...standIn, published, jwksReads };
}

async function outcomeOf(verify: TokenVerifier, token: string): Promise<number> {
  return verify(token).then(
    () => 200,
    (error: unknown) => (error instanceof Problem ? error.status : 500),
  );
}

const strangersKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** A correctly signed token naming a key id user-service never had. */
function tokenWithMadeUpKid(): string {
  return jwt.sign({ email: 'x@example.test', roles: [], permissions: [] }, strangersKey, {
    algorithm: 'RS256',
    keyid: randomUUID(),
    subject: 'intruder',
    issuer: 'escalable/user-service',
    audience: 'escalable',
  });
}

describe('Access tokens verified against the JWKS', () => {
  const current = createTestSigningKey();
  const user = { id: randomUUID(), roles: ['customer' as const] };

  it('When tokens name made-up keys, then they get 401, user-service is read once per cooldown and real tokens pass', async () => {
    const userService = await userServiceWith([current]);
    const client = new HttpClient({ name: 'user-service', baseUrl: userService.url });
    const verify = createTokenVerifier({ jwks: { client, cooldownMs: 60_000 } });
    try {
      const before = await outcomeOf(verify, current.tokenFor(user));
      const flood = await Promise.all(
        Array.from({ length: 40 }, () => outcomeOf(verify, tokenWithMadeUpKid())),
      );
      const after = await outcomeOf(verify, current.tokenFor(user));

      expect(before).to.equal(200);
      expect(new Set(flood)).to.deep.equal(new Set([401]));
      expect(after).to.equal(200);
      expect(userService.jwksReads()).to.equal(1);
    } finally {
      await userService.close();
    }
  });

  it('When user-service rotates in a new key, then its tokens pass once the cooldown has passed', async () => {
    const userService = await userServiceWith([current]);
    const client = new HttpClient({ name: 'user-service', baseUrl: userService.url });
    const verify = createTokenVerifier({ jwks: { client, cooldownMs: 100 } });
    const next = createTestSigningKey();
    try {
      await verify(current.tokenFor(user));
      userService.published.push(next);
      await new Promise((resolve) => setTimeout(resolve, 150));

      expect(await outcomeOf(verify, next.tokenFor(user))).to.equal(200);
      expect(await outcomeOf(verify, current.tokenFor(user))).to.equal(200);
    } finally {
      await userService.close();
    }
  });

  it('When user-service is down, then keys already read keep verifying; with none read, 503', async () => {
    const userService = await userServiceWith([current]);
    const options = { name: 'user-service', baseUrl: userService.url, maxRetries: 0 };
    const warm = createTokenVerifier({
      jwks: { client: new HttpClient(options), maxAgeMs: 1, cooldownMs: 0 },
    });
    await warm(current.tokenFor(user));
    await userService.close();
    const cold = createTokenVerifier({ jwks: { client: new HttpClient(options) } });

    expect(await outcomeOf(warm, current.tokenFor(user))).to.equal(200);
    expect(await outcomeOf(cold, current.tokenFor(user))).to.equal(503);
  });

  it('When a token says it is a JWT but its payload is not JSON, then 401', async () => {
    const verify = createTokenVerifier({ publicKey: current.publicKeyPem });
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');

    expect(
      await outcomeOf(verify, `${header}.${Buffer.from('not json').toString('base64url')}.sig`),
    ).to.equal(401);
  });
});
