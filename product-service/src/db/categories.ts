import { QueryTypes, type Transaction } from 'sequelize';
import { Category } from './models.js';

/** Whether `candidateId` is `rootId` or a category below it. */
export async function isWithinSubtree(
  candidateId: string,
  rootId: string,
  transaction: Transaction,
): Promise<boolean> {
  const rows = await Category.sequelize!.query<{ id: string }>(
    `WITH RECURSIVE subtree (id) AS (
       SELECT $root::uuid
       UNION
       SELECT child.id FROM categories child JOIN subtree ON child.parent_id = subtree.id
     )
     SELECT id FROM subtree WHERE id = $candidate`,
    { bind: { root: rootId, candidate: candidateId }, type: QueryTypes.SELECT, transaction },
  );
  return rows.length > 0;
}

/**
 * Holds the whole category tree until the transaction ends. Tree changes are rare; serialising them
 * keeps two concurrent moves from closing a cycle that neither would make alone.
 */
export async function lockCategoryTree(transaction: Transaction): Promise<void> {
  await Category.sequelize!.query("SELECT pg_advisory_xact_lock(hashtext('categories'))", { transaction });
}

/**
 * Holds the category tree shared until the transaction ends: product writes run side by side, tree
 * changes wait for them. The category_listings triggers derive a product's rows from the tree, so it
 * must not move under them; and taken before any category row, it keeps a writer from holding a row
 * that a waiting tree change (a delete, a slug change) needs while it waits for the tree itself.
 */
export async function shareCategoryTree(transaction: Transaction): Promise<void> {
  await Category.sequelize!.query("SELECT pg_advisory_xact_lock_shared(hashtext('categories'))", {
    transaction,
  });
}

/**
 * Holds these category rows FOR KEY SHARE until the transaction ends, and returns the ids found. The
 * lock keeps a concurrent delete from removing a category between this read and a link to it (the
 * delete waits, then finds the category holds a product), while other product writes share it.
 */
export async function lockCategoryRows(ids: string[], transaction: Transaction): Promise<string[]> {
  const found = await Category.findAll({
    attributes: ['id'],
    where: { id: ids },
    lock: transaction.LOCK.KEY_SHARE,
    transaction,
  });
  return found.map((category) => category.id);
}

/** The id of the category with this slug, if there is one. */
export async function categoryIdBySlug(slug: string): Promise<string | undefined> {
  const category = await Category.findOne({ attributes: ['id'], where: { slug } });
  return category?.id;
}
