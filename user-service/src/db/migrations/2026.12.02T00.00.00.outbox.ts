import { createOutboxTable, dropOutboxTable, type Migration } from '@escalable/shop-sdk/server';

// Messages to other services (welcome, password-changed) are rows written with the account change
// they announce, so a sign-up never commits without its welcome, nor sends one for a rolled-back one.
export const up: Migration = ({ context }) => createOutboxTable(context);

export const down: Migration = ({ context }) => dropOutboxTable(context);
