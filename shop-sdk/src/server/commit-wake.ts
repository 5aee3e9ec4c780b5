import type { Sequelize, Transaction } from 'sequelize';

type Wake = () => void;

/** The workers of this process waiting for rows, by the pool they read and the table they work through. */
const workersByPool = new WeakMap<Sequelize, Map<string, Set<Wake>>>();

/**
 * Lets a worker of this process (a periodic job's `wakeOnCommit`) hear that a transaction on its pool
 * committed rows for it, so they leave within milliseconds rather than at its next tick: a shopper back
 * from paying finds the cart closed and the e-mail sent. Rows written by other instances still wait for
 * their own tick there. Answers the function that stops listening.
 */
export function listenForCommits(sequelize: Sequelize, table: string, wake: Wake): () => void {
  const byTable = workersByPool.get(sequelize) ?? new Map<string, Set<Wake>>();
  workersByPool.set(sequelize, byTable);
  const wakes = byTable.get(table) ?? new Set<Wake>();
  byTable.set(table, wakes);
  wakes.add(wake);
  return () => wakes.delete(wake);
}

/**
 * Wakes the workers listening for `table` on the transaction's pool once the whole transaction has
 * committed (a savepoint's commit is not one); nothing when it rolls back.
 */
export function wakeAfterCommit(transaction: Transaction, table: string): void {
  const root = rootOf(transaction);
  root.afterCommit(() => {
    for (const wake of workersByPool.get(root.sequelize)?.get(table) ?? []) wake();
  });
}

/** Sequelize's types leave out a savepoint's parent and the pool; every transaction has them. */
type FullTransaction = Transaction & { parent?: FullTransaction; sequelize: Sequelize };

function rootOf(transaction: Transaction): FullTransaction {
  let root = transaction as FullTransaction;
  while (root.parent) root = root.parent;
  return root;
}
