import type { CheckoutMethod, CheckoutOrder, DeclineCode, WidgetErrorCode } from '@paydo-checkout/server-kit/protocol';

/** Every event bubbles and is composed (it crosses shadow roots). */
export interface PaydoEventDetail {
  'paydo-ready': { order: CheckoutOrder; methods: CheckoutMethod[] };
  'paydo-method-change': { method: CheckoutMethod };
  /** Cancelable: `preventDefault()` stops the payment before anything is sent. */
  'paydo-submit': { method: CheckoutMethod };
  /** Cancelable: `preventDefault()` and navigate yourself (3-D Secure form or redirect). */
  'paydo-redirect': { url: string; method: 'GET' | 'POST'; fields: Record<string, string> };
  /** `alreadyPaid`: the order was paid before (a reload after Pay, Back from the order page). */
  'paydo-success': { txid: string | null; invoiceId: string | null; alreadyPaid?: boolean };
  /** `code`: why, from the error catalogue (server-kit/docs/errors.md); `message`: the payer's sentence for it, as shown. */
  'paydo-fail': { txid: string | null; code: DeclineCode; message: string };
  /** `code`: the plugin's answer (`error`), `offline` or `confirmation_timeout` (server-kit/docs/errors.md). */
  'paydo-error': { code: WidgetErrorCode; message: string };
}

export type PaydoEventName = keyof PaydoEventDetail;
export type PaydoEvent<K extends PaydoEventName> = CustomEvent<PaydoEventDetail[K]>;

declare global {
  interface GlobalEventHandlersEventMap {
    'paydo-ready': PaydoEvent<'paydo-ready'>;
    'paydo-method-change': PaydoEvent<'paydo-method-change'>;
    'paydo-submit': PaydoEvent<'paydo-submit'>;
    'paydo-redirect': PaydoEvent<'paydo-redirect'>;
    'paydo-success': PaydoEvent<'paydo-success'>;
    'paydo-fail': PaydoEvent<'paydo-fail'>;
    'paydo-error': PaydoEvent<'paydo-error'>;
  }
}
