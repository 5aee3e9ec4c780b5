import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { problems } from '../problem.js';

/**
 * Credentials between services: a short-lived HS256 token naming the calling service, signed with
 * the secret all services share. `/internal/*` routes accept nothing else, and the caller's name is
 * what their audit trails record.
 */
const AUDIENCE = 'escalable/internal';
const TTL_SECONDS = 300;
/**
 * The longest life a presented token may claim, and the furthest its expiry may lie ahead. A leaked
 * token must die within minutes, so one without `exp`, or minted to last, is refused outright.
 */
export const SERVICE_TOKEN_MAX_LIFETIME_SECONDS = 600;

/** The shop's services: the only names a service token may carry. */
export const SERVICE_NAMES = [
  'user-service',
  'product-service',
  'cart-service',
  'order-service',
  'payment-service',
  'notification-service',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(name: unknown): name is ServiceName {
  return typeof name === 'string' && (SERVICE_NAMES as readonly string[]).includes(name);
}

/**
 * The shared secret as a key object, made once per secret. Given a string, jsonwebtoken first tries it
 * as a PEM public key and throws and catches on every call: about 0.4 ms of CPU per verification (every
 * internal request) against 0.012 ms with the key object.
 */
const secretKeys = new Map<string, KeyObject>();
function secretKeyOf(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret));
    secretKeys.set(secret, key);
  }
  return key;
}

export function serviceTokenSigner(service: string, secret: string): () => string {
  let token = '';
  let renewAt = 0;
  return () => {
    const now = Date.now();
    if (now >= renewAt) {
      token = jwt.sign({}, secretKeyOf(secret), {
        algorithm: 'HS256',
        issuer: service,
        audience: AUDIENCE,
        expiresIn: TTL_SECONDS,
      });
      renewAt = now + (TTL_SECONDS - 60) * 1000;
    }
    return token;
  };
}

/**
 * Returns the calling service's name, or throws a 401 Problem: the token must be signed with the
 * secret, name one of {@link SERVICE_NAMES}, carry `iat` and `exp`, and live at most
 * {@link SERVICE_TOKEN_MAX_LIFETIME_SECONDS}, counted from its issue and from now.
 */
export function verifyServiceToken(token: string, secret: string, nowMs = Date.now()): ServiceName {
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, secretKeyOf(secret), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
      clockTimestamp: nowMs / 1000,
    });
  } catch {
    throw problems.unauthorized('Service credentials are missing or invalid');
  }
  if (typeof payload !== 'object' || !isServiceName(payload.iss)) {
    throw problems.unauthorized('Service credentials must name a service of the shop');
  }
  const { exp, iat } = payload;
  const now = nowMs / 1000;
  if (
    typeof exp !== 'number' ||
    typeof iat !== 'number' ||
    exp - iat > SERVICE_TOKEN_MAX_LIFETIME_SECONDS ||
    exp - now > SERVICE_TOKEN_MAX_LIFETIME_SECONDS
  ) {
    throw problems.unauthorized(
      `Service credentials must expire within ${SERVICE_TOKEN_MAX_LIFETIME_SECONDS / 60} minutes of their issue`,
    );
  }
  return payload.iss;
}
