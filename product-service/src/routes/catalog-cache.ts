import type { Response } from 'express';
import { JsonText } from '../domain/json-text.js';

/** How long shared caches may keep what every visitor sees of the catalog. */
export interface CatalogCache {
  maxAgeSeconds: number;
}

/**
 * Answers a catalog read with the headers caches go by. What everyone sees may be kept by shared caches
 * (the gateway, a CDN) for `maxAgeSeconds`; a view for a signed-in reader may be staff's, with drafts
 * and stock figures, and is never stored. `Vary: Authorization` keeps a cache from answering one with
 * the other. Express adds the ETag from the body and answers 304 itself when If-None-Match matches.
 * A body already written as JSON goes out as it is.
 */
export function sendCatalogRead(
  res: Response,
  body: unknown,
  audience: { personal: boolean; maxAgeSeconds: number },
): void {
  res.set(
    'Cache-Control',
    audience.personal ? 'private, no-store' : `public, max-age=${audience.maxAgeSeconds}`,
  );
  res.vary('Authorization');
  if (body instanceof JsonText) res.type('application/json').send(body.text);
  else res.json(body);
}
