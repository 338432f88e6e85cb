import { fixture, html, waitUntil } from '@open-wc/testing';
import '../src/paydo-checkout/paydo-checkout.ts';
import type { PaydoCheckout } from '../src/paydo-checkout/paydo-checkout.component.ts';

export async function mount(
  attrs: { lang?: string; methods?: string; maxWaitMs?: number; theme?: 'light' | 'dark' | 'auto' } = {},
): Promise<PaydoCheckout> {
  const el = await fixture<PaydoCheckout>(
    html`<paydo-checkout api="/paydo" order="r1" lang=${attrs.lang ?? 'en'} methods=${attrs.methods ?? ''} max-wait-ms=${attrs.maxWaitMs ?? 600000} theme=${attrs.theme ?? 'auto'}></paydo-checkout>`,
  );
  await waitUntil(() => !q(el, '[part~="skeleton"]') && !q(el, '.spinner'), 'the checkout did not load');
  return el;
}

/** The payment form, not the outline drawn while the order loads (`::part(skeleton)`, which holds one). */
export const FORM = '[part~="base"] > form';

export function q<T extends Element = HTMLElement>(el: PaydoCheckout, selector: string): T | null {
  return el.shadowRoot?.querySelector<T>(selector) ?? null;
}

export function qa<T extends Element = HTMLElement>(el: PaydoCheckout, selector: string): T[] {
  return [...(el.shadowRoot?.querySelectorAll<T>(selector) ?? [])];
}

export function input(el: PaydoCheckout, name: string): HTMLInputElement {
  const found = q<HTMLInputElement>(el, `input[name="${name}"]`);
  if (!found) throw new Error(`no input ${name}`);
  return found;
}

/** Types into an input the way a browser does: sets the value and fires `input`. */
export async function type(el: PaydoCheckout, name: string, value: string, inputType = 'insertText'): Promise<void> {
  const field = input(el, name);
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType }));
  await el.updateComplete;
}

export async function fillCard(el: PaydoCheckout, pan = '4242424242424242'): Promise<void> {
  await type(el, 'card.pan', pan);
  await type(el, 'card.expirationDate', '12/39');
  await type(el, 'card.cvv', '123');
  await type(el, 'card.holderName', 'Ada Lovelace');
}

export async function submit(el: PaydoCheckout): Promise<void> {
  q<HTMLButtonElement>(el, '[part~="submit-button"]')?.click();
  await el.updateComplete;
}

export function statusText(el: PaydoCheckout): string {
  return q(el, '[part~="status"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

export function live(el: PaydoCheckout): string {
  return q(el, '[role="status"]')?.textContent?.trim() ?? '';
}

export async function until(fn: () => unknown, message = 'condition not met', timeout = 3000): Promise<void> {
  await waitUntil(fn, message, { timeout, interval: 10 });
}
