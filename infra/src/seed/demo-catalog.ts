// The demo catalog `npm run seed` fills an empty shop with: a category tree and about a hundred
// products built from the small lists below, the same every run (no randomness), so a second run
// matches every SKU and changes nothing.
//
// The shop speaks Spanish (es-AR): name and description are Spanish; English rides in the product's
// attributes as `name_en` and `description_en`, next to facts such as `material`, so a storefront
// can show either language without another field in the catalog.
import type { CatalogImportProduct, VariantOptions } from '@escalable/shop-sdk';

export interface DemoCategory {
  slug: string;
  name: string;
  /** Slug of the parent; top-level categories have none. */
  parent?: string;
}

type Gender = 'm' | 'f';

interface Noun {
  es: string;
  en: string;
  gender: Gender;
  material: { es: string; en: string };
  /** Price of the plainest style, in whole pesos. */
  pesos: number;
}

interface Family {
  category: DemoCategory;
  /** The option telling variants apart, and its values in order (2 to 4 are used). */
  option: { name: string; values: string[] };
  leaves: Array<{ category: DemoCategory; nouns: Noun[] }>;
}

const STYLES: Array<{ m: string; f: string; en: string; markup: number }> = [
  { m: 'clásico', f: 'clásica', en: 'classic', markup: 1 },
  { m: 'urbano', f: 'urbana', en: 'urban', markup: 1.1 },
  { m: 'liviano', f: 'liviana', en: 'lightweight', markup: 1.05 },
  { m: 'artesanal', f: 'artesanal', en: 'handmade', markup: 1.4 },
  { m: 'patagónico', f: 'patagónica', en: 'Patagonian', markup: 1.25 },
  { m: 'premium', f: 'premium', en: 'premium', markup: 1.6 },
];
const STYLES_PER_NOUN = 4;

const SIZES = { name: 'talle', values: ['S', 'M', 'L', 'XL'] };
const SHOE_SIZES = { name: 'talle', values: ['38', '40', '42', '44'] };
const COLOURS = { name: 'color', values: ['natural', 'negro', 'gris', 'terracota'] };

const cotton = { es: 'algodón', en: 'cotton' };
const wool = { es: 'lana merino', en: 'merino wool' };
const leather = { es: 'cuero', en: 'leather' };
const canvas = { es: 'lona', en: 'canvas' };
const ceramic = { es: 'cerámica', en: 'ceramic' };
const wood = { es: 'madera de algarrobo', en: 'carob wood' };
const gourd = { es: 'calabaza', en: 'gourd' };
const steel = { es: 'acero inoxidable', en: 'stainless steel' };

type NounRow = [es: string, en: string, gender: Gender, material: Noun['material'], pesos: number];

/** A family of categories: its top category, and each leaf as its slug, its name and its nouns. */
function family(
  slug: string,
  name: string,
  option: Family['option'],
  leaves: Array<[slug: string, name: string, nouns: NounRow[]]>,
): Family {
  return {
    category: { slug, name },
    option,
    leaves: leaves.map(([leafSlug, leafName, nouns]) => ({
      category: { slug: leafSlug, name: leafName, parent: slug },
      nouns: nouns.map(([es, en, gender, material, pesos]) => ({ es, en, gender, material, pesos })),
    })),
  };
}

// One row per leaf category, kept as the table it is.
// prettier-ignore
const FAMILIES: Family[] = [
  family('ropa', 'Ropa', SIZES, [
    ['remeras', 'Remeras', [['Remera', 't-shirt', 'f', cotton, 18_000], ['Musculosa', 'tank top', 'f', cotton, 14_000]]],
    ['buzos', 'Buzos', [['Buzo', 'sweatshirt', 'm', cotton, 42_000], ['Sweater', 'sweater', 'm', wool, 58_000]]],
    ['pantalones', 'Pantalones', [['Pantalón', 'trousers', 'm', cotton, 39_000], ['Bermuda', 'shorts', 'f', canvas, 27_000]]],
    ['camperas', 'Camperas', [['Campera', 'jacket', 'f', canvas, 85_000], ['Chaleco', 'vest', 'm', wool, 52_000]]],
  ]),
  family('calzado', 'Calzado', SHOE_SIZES, [
    ['zapatillas', 'Zapatillas', [['Zapatilla', 'sneaker', 'f', canvas, 64_000], ['Alpargata', 'espadrille', 'f', canvas, 19_000]]],
    ['botas', 'Botas', [['Bota', 'boot', 'f', leather, 120_000], ['Borceguí', 'ankle boot', 'm', leather, 98_000]]],
  ]),
  family('hogar', 'Hogar', COLOURS, [
    ['cocina', 'Cocina', [['Tabla de asado', 'carving board', 'f', wood, 23_000], ['Taza', 'mug', 'f', ceramic, 9_000]]],
    ['textiles', 'Textiles', [['Manta', 'throw', 'f', wool, 47_000], ['Almohadón', 'cushion', 'm', cotton, 16_000]]],
    ['decoracion', 'Decoración', [['Florero', 'vase', 'm', ceramic, 21_000], ['Portavela', 'candle holder', 'm', ceramic, 11_000]]],
  ]),
  family('mate', 'Mate', COLOURS, [
    ['mates', 'Mates', [['Mate', 'mate gourd', 'm', gourd, 26_000], ['Mate térmico', 'insulated mate', 'm', steel, 31_000]]],
    ['bombillas', 'Bombillas', [['Bombilla', 'bombilla straw', 'f', steel, 8_000], ['Bombilla pico de loro', 'curved bombilla', 'f', steel, 12_000]]],
    ['materas', 'Materas', [['Matera', 'mate bag', 'f', leather, 54_000], ['Termo', 'vacuum flask', 'm', steel, 68_000]]],
  ]),
];

/** Top-level categories first, so each one's parent exists by the time it is created. */
export const DEMO_CATEGORIES: readonly DemoCategory[] = [
  ...FAMILIES.map((family) => family.category),
  ...FAMILIES.flatMap((family) => family.leaves.map((leaf) => leaf.category)),
];

export const DEMO_SKU_PREFIX = 'DEMO-';

/** The demo products, as lines of the catalog import. */
export function demoProducts(): CatalogImportProduct[] {
  const products: CatalogImportProduct[] = [];
  for (const family of FAMILIES) {
    for (const leaf of family.leaves) {
      for (const [nounIndex, item] of leaf.nouns.entries()) {
        for (let i = 0; i < STYLES_PER_NOUN; i++) {
          // Each noun starts at another style, so a category does not read the same list twice.
          const style = STYLES[(nounIndex * 2 + i) % STYLES.length]!;
          products.push(demoProduct(products.length + 1, family, leaf.category, item, style));
        }
      }
    }
  }
  return products;
}

function demoProduct(
  number: number,
  family: Family,
  category: DemoCategory,
  item: Noun,
  style: (typeof STYLES)[number],
): CatalogImportProduct {
  const name = `${item.es} ${style[item.gender]}`;
  const nameEn = capitalize(`${style.en} ${item.en}`);
  const pesos = Math.round((item.pesos * style.markup) / 100) * 100;
  const variantCount = 2 + (number % 3);
  return {
    name,
    description: `${name} de ${item.material.es}, ${item.gender === 'f' ? 'hecha' : 'hecho'} en Argentina.`,
    attributes: {
      name_en: nameEn,
      description_en: `${nameEn} made of ${item.material.en} in Argentina.`,
      material: item.material.es,
    },
    images: [],
    status: 'active',
    categories: [category.slug],
    variants: family.option.values.slice(0, variantCount).map((value, index) => {
      const options: VariantOptions = { [family.option.name]: value };
      return {
        sku: `${DEMO_SKU_PREFIX}${String(number).padStart(3, '0')}-${value.toUpperCase()}`,
        options,
        // Larger sizes and the dyed colours cost a little more; minor units (centavos).
        price: { amount: (pesos + index * 1_000) * 100, currency: 'ARS' },
        // A few variants sold out, as in a real shop.
        stock: (number * 7 + index * 5) % 30,
      };
    }),
  };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
