import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { problems } from '../problem.js';
import type { HttpClient } from '../http/client.js';

export interface JwksKeysOptions {
  client: HttpClient;
  path?: string;
  /** How long a read key set is trusted before it is read again (retired keys leave). Default 10 min. */
  maxAgeMs?: number;
  /** The least time between two reads caused by tokens naming an unknown key. Default 10 s. */
  cooldownMs?: number;
  now?: () => number;
}

/**
 * user-service's signing keys by `kid`, read from its JWKS and kept in memory. A token naming a key not
 * in the set causes a new read, so a rotated-in key is picked up at once; but at most one read per
 * cooldown, so a flood of tokens with made-up `kid`s costs user-service one request per cooldown and
 * every other token keeps being checked against the keys already known. When a read fails, the keys
 * already known go on serving; only with none known is the answer 503.
 */
export function jwksKeys(options: JwksKeysOptions): (kid: string | undefined) => Promise<KeyObject> {
  const { client, path = '/.well-known/jwks.json', maxAgeMs = 10 * 60_000, cooldownMs = 10_000 } = options;
  const now = options.now ?? Date.now;
  let keys = new Map<string, KeyObject>();
  let readAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;

  const read = () =>
    (reading ??= (async () => {
      attemptedAt = now();
      try {
        keys = keySet(await client.get<{ keys?: unknown }>(path));
        readAt = now();
      } finally {
        reading = undefined;
      }
    })());

  return async (kid) => {
    if (!kid) throw problems.unauthorized('The access token does not name its signing key');
    const mayAsk = now() - attemptedAt >= cooldownMs;
    let failure: unknown;
    if (reading || (mayAsk && (!keys.has(kid) || now() - readAt >= maxAgeMs))) {
      await read().catch((error: unknown) => {
        failure = error;
      });
    }
    if (keys.size === 0)
      throw problems.unavailable(client.name, 'The signing keys could not be read', failure);
    const key = keys.get(kid);
    if (!key) throw problems.unauthorized('The access token was signed by an unknown key');
    return key;
  };
}

/** The RSA signing keys of a JWKS document; anything else in it is ignored. */
function keySet(document: { keys?: unknown }): Map<string, KeyObject> {
  const set = new Map<string, KeyObject>();
  for (const jwk of Array.isArray(document.keys)
    ? (document.keys as Array<JsonWebKey & { kid?: string; use?: string }>)
    : []) {
    if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig'))
      continue;
    set.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
  }
  return set;
}
