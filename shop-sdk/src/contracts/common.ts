/** A page of a listing with the total, so a client can draw a pager. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** An amount of money in the currency's minor unit (centavos), with its ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}
