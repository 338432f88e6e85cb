// The cart lives in a signed cookie: the browser can carry it, not write it.
// A cart is checked whole (known products, quantities, one currency) when it is
// read for checkout, not only when an item is added.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findProduct, type Product } from './catalog.ts';

export type Cart = Record<string, number>;
export const MAX_QUANTITY = 20;

const COOKIE = 'cart';
const cookieOptions = (secure: boolean) => ({
  path: '/',
  sameSite: 'lax' as const,
  httpOnly: true,
  signed: true,
  secure,
});

/** The cart as signed by this shop; a tampered or unsigned cookie is an empty cart. */
export function readCart(request: FastifyRequest): Cart {
  const raw = request.cookies[COOKIE];
  if (!raw) return {};
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return {};
  try {
    const parsed = JSON.parse(unsigned.value) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return parsed as Cart;
  } catch {
    return {};
  }
}

export function writeCart(reply: FastifyReply, cart: Cart, secure: boolean): FastifyReply {
  return Object.keys(cart).length
    ? reply.setCookie(COOKIE, JSON.stringify(cart), cookieOptions(secure))
    : reply.clearCookie(COOKIE, { path: '/' });
}

export interface CartLine {
  product: Product;
  quantity: number;
}

/** Lines of a valid cart, or why it is not one. */
export function checkCart(
  cart: Cart,
): { lines: CartLine[]; currency: string } | { error: 'cart_invalid' | 'currency' } {
  const lines: CartLine[] = [];
  for (const [id, quantity] of Object.entries(cart)) {
    const product = findProduct(id);
    if (!product || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      return { error: 'cart_invalid' };
    }
    lines.push({ product, quantity });
  }
  const currencies = new Set(lines.map((l) => l.product.currency));
  if (currencies.size > 1) return { error: 'currency' };
  return { lines, currency: lines[0]?.product.currency ?? 'EUR' };
}

export const CART_NOTICES = {
  currency: 'Items in another currency go in a separate order: check out this cart first.',
  cart_invalid: 'Your cart could not be read and was emptied. Please add the items again.',
  max_quantity: `At most ${MAX_QUANTITY} of one item per order.`,
  bad_quantity: 'A quantity is a whole number: 0 removes the item.',
} as const;
