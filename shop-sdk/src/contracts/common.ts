/** A page of a listing with the total, so a client can draw a pager. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * A page of a listing that also pages by cursor: `nextCursor` (null on the last page) goes back as
 * `after` for the page that follows, which stays right however many rows are added or removed before
 * it. `total` is exact unless `totalIsEstimate`, when counting every match would cost a scan.
 */
export interface CursorPage<T> extends Page<T> {
  nextCursor: string | null;
  totalIsEstimate: boolean;
}

/** An amount of money in the currency's minor unit (centavos), with its ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}
