import { createOutboxTable, dropOutboxTable, type Migration } from '@escalable/shop-sdk/server';

// Stock commits and releases, cart conversions, refunds and notifications leave through this table,
// written in the transaction that moves the order.
export const up: Migration = ({ context }) => createOutboxTable(context);
export const down: Migration = ({ context }) => dropOutboxTable(context);
