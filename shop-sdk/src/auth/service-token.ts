import jwt from 'jsonwebtoken';
import { problems } from '../problem.js';

/**
 * Credentials between services: a short-lived HS256 token naming the calling service, signed with
 * the secret all services share. `/internal/*` routes accept nothing else, and the caller's name is
 * what their audit trails record.
 */
const AUDIENCE = 'escalable/internal';
const TTL_SECONDS = 300;

export function serviceTokenSigner(service: string, secret: string): () => string {
  let token = '';
  let renewAt = 0;
  return () => {
    const now = Date.now();
    if (now >= renewAt) {
      token = jwt.sign({}, secret, {
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

/** Returns the calling service's name, or throws a 401 Problem. */
export function verifyServiceToken(token: string, secret: string): string {
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'], audience: AUDIENCE });
    const issuer = typeof payload === 'object' ? payload.iss : undefined;
    if (!issuer) throw new Error('no issuer');
    return issuer;
  } catch {
    throw problems.unauthorized('Service credentials are missing or invalid');
  }
}
