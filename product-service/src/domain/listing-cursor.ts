import { z } from 'zod';
import { problems, type ProductSort } from '@escalable/shop-sdk';
import type { ListingPosition } from '../db/product-listing.js';

/**
 * A listing cursor (`after`, `nextCursor`): base64url of JSON naming the sort and the position after
 * the last product a page showed. It is opaque to clients but not secret; a hand-made one can only
 * start a listing at another place. Each value is checked before it reaches SQL, so a forged cursor
 * is a 400 naming `after`, never a database error.
 */

const id = z.uuid();
// As PostgreSQL writes a timestamptz in JSON under the UTC session the database kit opens.
const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00:00$/)
  .refine((text) => {
    const instant = new Date(`${text.slice(0, 19)}Z`);
    return !Number.isNaN(instant.getTime()) && instant.toISOString().startsWith(text.slice(0, 19));
  });
const price = z.number().int().min(-1).max(2_147_483_648);
// Lower-cased names (200 characters may grow when lower-cased); a NUL could never be stored, and
// PostgreSQL refuses it in a parameter.
const name = z
  .string()
  .max(800)
  .regex(/^[^\0]*$/);
const rank = z.number().min(0).max(1e30);

const POSITIONS: Record<ProductSort, z.ZodType<ListingPosition>> = {
  newest: z.tuple([timestamp, id]),
  price: z.tuple([price, id]),
  '-price': z.tuple([price, id]),
  name: z.tuple([name, id]),
  '-name': z.tuple([name, id]),
  relevance: z.tuple([rank, timestamp, id]),
};

const cursorPayload = z.strictObject({ sort: z.string(), position: z.array(z.unknown()) });

export function encodeCursor(sort: ProductSort, position: ListingPosition): string {
  return Buffer.from(JSON.stringify({ sort, position })).toString('base64url');
}

/** The position a cursor holds for this sort, or a 400 Problem naming `after`. */
export function decodeCursor(cursor: string, sort: ProductSort): ListingPosition {
  if (!/^[\w-]+$/.test(cursor)) throw invalidCursor('is not a cursor this listing gave');
  const payload = cursorPayload.safeParse(parseJson(Buffer.from(cursor, 'base64url').toString('utf8')));
  if (!payload.success) throw invalidCursor('is not a cursor this listing gave');
  if (payload.data.sort !== sort) {
    throw invalidCursor(`was given for sort=${payload.data.sort}; use it with that sort, or start again`);
  }
  const position = POSITIONS[sort].safeParse(payload.data.position);
  if (!position.success) throw invalidCursor('is not a cursor this listing gave');
  return position.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function invalidCursor(reason: string) {
  return problems.validation([{ in: 'query', name: 'after', reason }]);
}
