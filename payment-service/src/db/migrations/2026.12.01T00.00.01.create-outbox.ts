import { createOutboxTable, dropOutboxTable, type Migration } from '@escalable/shop-sdk/server';

// Payment results reach order-service through this table, written in the transaction that settles them.
export const up: Migration = ({ context }) => createOutboxTable(context);
export const down: Migration = ({ context }) => dropOutboxTable(context);
