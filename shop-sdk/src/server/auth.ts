import type { Request, RequestHandler } from 'express';
import { problems } from '../problem.js';
import { createTokenVerifier, type AccessClaims, type TokenVerifier } from '../auth/access-token.js';
import { HttpClient } from '../http/client.js';
import { ConfigError } from './config.js';
import type { Permission } from '../auth/permissions.js';
import { verifyServiceToken } from '../auth/service-token.js';

const claimsByRequest = new WeakMap<Request, AccessClaims>();
const callerByRequest = new WeakMap<Request, string>();

function bearerToken(req: Request): string | undefined {
  const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** Requires a valid access token; its claims are then available through {@link claimsOf}. */
export function authenticate(verify: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req);
    if (!token) throw problems.unauthorized('Send an access token as "Authorization: Bearer <token>"');
    claimsByRequest.set(req, await verify(token));
    next();
  };
}

/**
 * Verifies an access token when one is sent (a bad one is still 401); without one the request goes on
 * anonymous. For public routes that show more to staff: read the caller with {@link optionalClaimsOf}.
 */
export function authenticateOptional(verify: TokenVerifier): RequestHandler {
  const signedIn = authenticate(verify);
  return (req, res, next) => (req.headers.authorization === undefined ? next() : signedIn(req, res, next));
}

/** The signed-in user of a request, or undefined when it came without a token. */
export function optionalClaimsOf(req: Request): AccessClaims | undefined {
  return claimsByRequest.get(req);
}

/** Whether the caller holds every one of these permissions; anonymous callers hold none. */
export function hasPermission(claims: AccessClaims | undefined, ...permissions: Permission[]): boolean {
  return claims !== undefined && permissions.every((permission) => claims.permissions.includes(permission));
}

/** For the domain: 401 for an anonymous caller, 403 naming what is missing, else nothing. */
export function assertPermission(claims: AccessClaims | undefined, ...permissions: Permission[]): void {
  if (!claims) throw problems.unauthorized('Send an access token as "Authorization: Bearer <token>"');
  const missing = permissions.filter((permission) => !claims.permissions.includes(permission));
  if (missing.length > 0) throw problems.forbidden(`Missing permission: ${missing.join(', ')}`);
}

/** The signed-in user of a request that passed {@link authenticate}. */
export function claimsOf(req: Request): AccessClaims {
  const claims = claimsByRequest.get(req);
  if (!claims) throw problems.unauthorized('This route needs an access token');
  return claims;
}

export function requirePermission(...permissions: Permission[]): RequestHandler {
  return (req, _res, next) => {
    assertPermission(claimsOf(req), ...permissions);
    next();
  };
}

/** Guards `/internal/*`: only another service, presenting credentials signed with the shared secret. */
export function requireServiceCaller(secret: string): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req);
    if (!token) throw problems.unauthorized('Service credentials are required');
    callerByRequest.set(req, verifyServiceToken(token, secret));
    next();
  };
}

/** The service that made an internal call. */
export function callerOf(req: Request): string {
  const caller = callerByRequest.get(req);
  if (!caller) throw problems.unauthorized('Service credentials are required');
  return caller;
}

/** The token verifier a service configures from JWT_PUBLIC_KEY, or else from JWKS_URL. */
export function tokenVerifierFromEnv(env: { JWT_PUBLIC_KEY?: string; JWKS_URL?: string }): TokenVerifier {
  if (env.JWT_PUBLIC_KEY) return createTokenVerifier({ publicKey: env.JWT_PUBLIC_KEY });
  if (!env.JWKS_URL) throw new ConfigError('invalid configuration: set JWT_PUBLIC_KEY or JWKS_URL');
  const urls = env.JWKS_URL.split(',').map((url) => new URL(url.trim()));
  return createTokenVerifier({
    jwks: {
      client: new HttpClient({ name: 'user-service', baseUrl: urls.map((url) => url.origin) }),
      path: urls[0]!.pathname,
    },
  });
}
