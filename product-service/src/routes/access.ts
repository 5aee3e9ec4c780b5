import type { Request, RequestHandler } from 'express';
import { problems, type Permission, type TokenVerifier } from '@escalable/shop-sdk';
import { authenticate, claimsOf } from '@escalable/shop-sdk/server';
import { PUBLIC_VIEWER, type Viewer } from '../domain/catalog-view.js';
import type { Actor } from '../domain/stock-adjustments.js';

/** Public routes read a token when one is sent, so staff see drafts and stock; a bad token is still 401. */
export function identifyIfSignedIn(verify: TokenVerifier): RequestHandler {
  const signedIn = authenticate(verify);
  return (req, res, next) => (req.headers.authorization ? signedIn(req, res, next) : next());
}

/** What the caller of a public route may see (after {@link identifyIfSignedIn}). */
export function viewerOf(req: Request): Viewer {
  if (!req.headers.authorization) return PUBLIC_VIEWER;
  const granted = claimsOf(req).permissions;
  return {
    seesDrafts: granted.includes('catalog:write'),
    seesStock: granted.includes('catalog:write') || granted.includes('inventory:write'),
  };
}

/** For a public route's staff-only option: 401 without a token, 403 without the permission. */
export function assertPermission(req: Request, permission: Permission): void {
  if (!claimsOf(req).permissions.includes(permission))
    throw problems.forbidden(`Missing permission: ${permission}`);
}

/** The signed-in admin, as the stock ledger names them. */
export function userActor(req: Request): Actor {
  return `user:${claimsOf(req).sub}`;
}
