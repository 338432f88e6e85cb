/** The shop's products. Prices are decimal text in the product's currency. */
export interface Product {
  id: string;
  name: string;
  description: string;
  price: string;
  currency: string;
}

export const CATALOG: readonly Product[] = [
  {
    id: 'mug',
    name: 'Enamel mug',
    description: 'A camp mug that survives every trip.',
    price: '12.50',
    currency: 'EUR',
  },
  {
    id: 'tee',
    name: 'Organic T-shirt',
    description: 'Soft cotton, printed in Lisbon.',
    price: '25.00',
    currency: 'EUR',
  },
  {
    id: 'notebook',
    name: 'Dot-grid notebook',
    description: '120 pages, lays flat.',
    price: '9.00',
    currency: 'EUR',
  },
  {
    id: 'stickers',
    name: 'Sticker pack',
    description: 'Twelve weatherproof stickers.',
    price: '4.90',
    currency: 'EUR',
  },
  {
    id: 'poster',
    name: 'Kyiv poster',
    description: 'A3 risograph print, shipped from Kyiv.',
    price: '450.00',
    currency: 'UAH',
  },
];

export function findProduct(id: string): Product | undefined {
  return CATALOG.find((p) => p.id === id);
}

/** Exact cents of a decimal text with at most two decimals ("12.5" → 1250). */
export function toCents(amount: string): number {
  const [units = '0', fraction = ''] = amount.split('.');
  return Number(units) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

export function fromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Sums decimal prices exactly (in cents). */
export function total(lines: { price: string; quantity: number }[]): string {
  return fromCents(lines.reduce((sum, l) => sum + toCents(l.price) * l.quantity, 0));
}

/** The amount as people of `lang` write it: "€12.50", "12,50 €", "12,50 €"… */
export function formatMoney(amount: string, currency: string, lang = 'en'): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(Number(amount));
}

/** The product's picture, an SVG in public/products. */
export const imageOf = (product: Product) => `/assets/products/${product.id}.svg`;
