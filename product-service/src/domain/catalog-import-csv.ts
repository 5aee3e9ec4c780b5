import { CsvError, parse } from 'csv-parse/sync';
import { CATALOG_IMPORT_CSV_COLUMNS, clip, type CatalogImportError } from '@escalable/shop-sdk';
import {
  MAX_LINE_CHARS,
  type FieldPath,
  type FieldPlace,
  type ProductCandidate,
  type ReadProducts,
} from './catalog-import-file.js';

type Column = (typeof CATALOG_IMPORT_CSV_COLUMNS)[number];

const REQUIRED_COLUMNS: Column[] = ['name', 'sku', 'price_amount', 'currency'];

/** The column each field of a variant comes from, for naming a fault where the admin wrote it. */
const VARIANT_COLUMNS: Record<string, Column> = {
  sku: 'sku',
  options: 'options',
  price: 'price_amount',
  stock: 'stock',
};

interface Row {
  line: number;
  cells: Partial<Record<Column, string>>;
}

/**
 * Reads the CSV form of the import: a header, then one row per variant; rows with the same slug (or,
 * without one, the same name) are one product, whose fields come from its first row.
 */
export function readCsvProducts(text: string): ReadProducts {
  let records: Array<{ record: string[]; raw: string; info: { lines: number } }>;
  try {
    records = parse(text, {
      info: true,
      raw: true,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: MAX_LINE_CHARS,
    }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // The parser stops at the first row it cannot read, so that row is the one fault it can name.
    const line = typeof error.lines === 'number' ? error.lines : 1;
    return failed({ line, field: '(row)', detail: clip(error.message, 200) });
  }
  const [header, ...body] = records;
  if (!header) return failed({ line: 1, field: '(header)', detail: 'is missing: the file is empty' });
  const columns = header.record.map((name) => name.trim());
  const headerErrors = [
    ...columns
      .filter((name) => !(CATALOG_IMPORT_CSV_COLUMNS as readonly string[]).includes(name))
      .map((name) => ({ line: 1, field: clip(name) || '(empty)', detail: 'is not a column of the import' })),
    ...columns
      .filter((name, index) => columns.indexOf(name) !== index)
      .map((name) => ({ line: 1, field: clip(name), detail: 'is a repeated column' })),
    ...REQUIRED_COLUMNS.filter((name) => !columns.includes(name)).map((name) => ({
      line: 1,
      field: name,
      detail: 'is a missing column',
    })),
  ];
  if (headerErrors.length > 0)
    return { lines: body.length, productCount: 0, candidates: [], errors: headerErrors };

  const errors: CatalogImportError[] = [];
  const groups = new Map<string, Row[]>();
  for (const { record, raw, info } of body) {
    // `lines` is where the row ends, and a quoted cell may spread it over several; `raw` also holds the
    // blank lines skipped before it and its line break.
    const text = raw.replace(/^[\r\n]+/, '').replace(/\r?\n?$/, '');
    const line = info.lines - (text.match(/\n/g)?.length ?? 0);
    if (record.length !== columns.length) {
      errors.push(
        record.length < columns.length
          ? {
              line,
              field: columns[record.length]!,
              detail: `is missing: the row has ${record.length} of the ${columns.length} columns`,
            }
          : {
              line,
              field: '(row)',
              detail: `has ${record.length} cells, more than the ${columns.length} columns`,
            },
      );
      continue;
    }
    const cells = Object.fromEntries(
      columns.map((name, index) => [name, record[index]!.trim()]).filter(([, cell]) => cell !== ''),
    ) as Row['cells'];
    const key = cells.slug ? `slug:${cells.slug}` : `name:${cells.name ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), { line, cells }]);
  }
  const candidates = [...groups.values()].map((rows) => candidateOf(rows, errors));
  return {
    lines: body.length,
    productCount: groups.size,
    candidates: candidates.filter((candidate) => candidate !== undefined),
    errors,
  };
}

function failed(error: CatalogImportError): ReadProducts {
  return { lines: 0, productCount: 0, candidates: [], errors: [error] };
}

/** One product from its rows, or undefined when a cell cannot be read (its faults added to `errors`). */
function candidateOf(rows: Row[], errors: CatalogImportError[]): ProductCandidate | undefined {
  const first = rows[0]!.cells;
  const faults: CatalogImportError[] = [];
  const variants = rows.map(({ line, cells }) => {
    const cell = (column: Column, read: (text: string) => unknown) => {
      const text = cells[column];
      if (text === undefined) return undefined;
      const value = read(text);
      if (value === undefined)
        faults.push({ line, field: column, detail: unreadable[column] ?? 'cannot be read' });
      return value;
    };
    return {
      sku: cells.sku,
      options: cell('options', optionsOf),
      price: { amount: cell('price_amount', wholeNumber), currency: cells.currency },
      stock: cell('stock', wholeNumber),
    };
  });
  errors.push(...faults);
  if (faults.length > 0) return undefined;
  const value = {
    name: first.name,
    slug: first.slug,
    description: first.description,
    status: first.status,
    categories: first.categories?.split('|').map((slug) => slug.trim()),
    variants,
  };
  return { line: rows[0]!.line, value, locate: (path) => placeOf(rows, path) };
}

const unreadable: Partial<Record<Column, string>> = {
  options: 'must be key=value pairs separated by |, e.g. talle=M|color=negro',
  price_amount: 'must be a whole number of minor units, e.g. 1299900',
  stock: 'must be a whole number',
};

function wholeNumber(text: string): number | undefined {
  return /^-?\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function optionsOf(text: string): Record<string, string> | undefined {
  const pairs = text.split('|').map((pair) => {
    const at = pair.indexOf('=');
    return at > 0 ? [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] : undefined;
  });
  return pairs.every((pair) => pair !== undefined) ? Object.fromEntries(pairs) : undefined;
}

/** A field of the product named by the row and column it came from. */
function placeOf(rows: Row[], path: FieldPath): FieldPlace {
  const [top, index, field] = path;
  if (top === 'variants' && typeof index === 'number' && rows[index]) {
    const column = typeof field === 'string' ? (VARIANT_COLUMNS[field] ?? field) : 'sku';
    const currency = field === 'price' && path[3] === 'currency';
    return { line: rows[index].line, field: currency ? 'currency' : column };
  }
  return { line: rows[0]!.line, field: top === 'variants' ? 'sku' : String(top ?? '(row)') };
}
