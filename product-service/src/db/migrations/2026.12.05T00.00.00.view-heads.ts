import type { Migration } from '@escalable/shop-sdk/server';
import { isoTimestamp, writeViewFunctions } from './2026.12.03T00.00.00.stored-views.js';
import { writeCategoryViewFunction } from './2026.12.04T00.00.00.category-views.js';

/** `{"amount":…,"currency":…}` for the price column `amount` of the row `NEW`. */
const money = (amount: string) =>
  `(SELECT row_to_json(money) FROM (SELECT ${amount} AS amount, NEW.currency AS currency) money)`;

/**
 * Each product and variant stores its view open, without its closing brace (`view_head`), and every view
 * is written compact (`row_to_json`, `{"id":…}` where `json_build_object` wrote `{"id" : …}`).
 *
 * A reader appends fields to the open view (the product's categories and variants, a variant's stock).
 * Cutting the brace off when reading, `left(view_json, -1)`, counted the characters of 80 UTF-8 texts
 * per page of 20 products: about a tenth of PostgreSQL's time per listing (perf, 50 000 products);
 * reading the stored head in its place took the page's PostgreSQL time 1.20 → 1.04 ms per request under
 * load. The compact views make a page of 20 products 29 490 → 26 979 bytes.
 */
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ALTER TABLE products RENAME COLUMN view_json TO view_head;
    ALTER TABLE variants RENAME COLUMN view_json TO view_head;

    CREATE OR REPLACE FUNCTION products_write_view() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT left(row_to_json(fields)::text, -1) INTO NEW.view_head FROM (SELECT
        NEW.id AS id, NEW.name AS name, NEW.slug AS slug, NEW.description AS description,
        NEW.images AS images, NEW.attributes AS attributes, NEW.status AS status, NEW.currency AS currency,
        CASE WHEN NEW.from_price IS NOT NULL THEN ${money('NEW.from_price')} END AS "fromPrice",
        ${isoTimestamp('NEW.created_at')} AS "createdAt", ${isoTimestamp('NEW.updated_at')} AS "updatedAt"
      ) fields;
      RETURN NEW;
    END;
    $$;

    CREATE OR REPLACE FUNCTION variants_write_view() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT left(row_to_json(fields)::text, -1) INTO NEW.view_head FROM (SELECT
        NEW.id AS id, NEW.product_id AS "productId", NEW.sku AS sku, NEW.options AS options,
        ${money('NEW.price')} AS price, NEW.status AS status
      ) fields;
      RETURN NEW;
    END;
    $$;

    CREATE OR REPLACE FUNCTION categories_write_view() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT row_to_json(fields)::text INTO NEW.view_json FROM (SELECT
        NEW.id AS id, NEW.name AS name, NEW.slug AS slug, NEW.parent_id AS "parentId"
      ) fields;
      RETURN NEW;
    END;
    $$;

    UPDATE products SET view_head = NULL;
    UPDATE variants SET view_head = NULL, status = status;
    UPDATE categories SET view_json = NULL;
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ALTER TABLE products RENAME COLUMN view_head TO view_json;
    ALTER TABLE variants RENAME COLUMN view_head TO view_json;
    ${writeViewFunctions}
    ${writeCategoryViewFunction}
    UPDATE products SET view_json = NULL;
    UPDATE variants SET view_json = NULL, status = status;
    UPDATE categories SET view_json = NULL;
  `);
};
