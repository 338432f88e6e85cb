// `<PaydoCheckout>` and its prop types; the element's event types come from the widget.
export type {
  PaydoCheckout as PaydoCheckoutElement,
  PaydoEvent,
  PaydoEventDetail,
  PaydoEventName,
} from '@paydo-checkout/widget';
export {
  PAYDO_EVENT_CALLBACKS,
  PaydoCheckout,
  type PaydoCheckoutAttributes,
  type PaydoCheckoutCallbacks,
  type PaydoCheckoutProps,
} from './paydo-checkout.ts';
