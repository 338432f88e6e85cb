/** The shop's products. Prices are decimal text in the product's currency. */
export interface Product {
  id: string;
  name: string;
  description: string;
  price: string;
  currency: string;
  emoji: string;
}

export const CATALOG: readonly Product[] = [
  {
    id: 'mug',
    name: 'Enamel mug',
    description: 'A camp mug that survives every trip.',
    price: '12.50',
    currency: 'EUR',
    emoji: '☕',
  },
  {
    id: 'tee',
    name: 'Organic T-shirt',
    description: 'Soft cotton, printed in Lisbon.',
    price: '25.00',
    currency: 'EUR',
    emoji: '👕',
  },
  {
    id: 'notebook',
    name: 'Dot-grid notebook',
    description: '120 pages, lays flat.',
    price: '9.00',
    currency: 'EUR',
    emoji: '📓',
  },
  {
    id: 'stickers',
    name: 'Sticker pack',
    description: 'Twelve weatherproof stickers.',
    price: '4.90',
    currency: 'EUR',
    emoji: '🏷️',
  },
  {
    id: 'poster',
    name: 'Kyiv poster',
    description: 'A3 risograph print, shipped from Kyiv.',
    price: '450.00',
    currency: 'UAH',
    emoji: '🖼️',
  },
];

export function findProduct(id: string): Product | undefined {
  return CATALOG.find((p) => p.id === id);
}

/** Sums decimal prices exactly (in cents). */
export function total(lines: { price: string; quantity: number }[]): string {
  const cents = lines.reduce((sum, l) => sum + BigInt(Math.round(Number(l.price) * 100)) * BigInt(l.quantity), 0n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

export function formatMoney(amount: string, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(Number(amount));
}
