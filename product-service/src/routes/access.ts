import type { Request } from 'express';
import { claimsOf, hasPermission, optionalClaimsOf } from '@escalable/shop-sdk/server';
import { PUBLIC_VIEWER, type Viewer } from '../domain/catalog-view.js';
import type { Actor } from '../domain/stock-adjustments.js';

/** What the caller of a public route may see (after `authenticateOptional`): staff see drafts and stock. */
export function viewerOf(req: Request): Viewer {
  const claims = optionalClaimsOf(req);
  if (!claims) return PUBLIC_VIEWER;
  return {
    seesDrafts: hasPermission(claims, 'catalog:write'),
    seesStock: hasPermission(claims, 'catalog:write') || hasPermission(claims, 'inventory:write'),
  };
}

/** The signed-in admin, as the stock ledger names them. */
export function userActor(req: Request): Actor {
  return `user:${claimsOf(req).sub}`;
}
