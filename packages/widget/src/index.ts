// The browser bundle's public surface: the element, its error type and event types.
// Card rules and strings stay internal (tests import them from their files).
export { ApiError } from './api.ts';
export type { PaydoEvent, PaydoEventDetail, PaydoEventName } from './events.ts';
export { PaydoCheckout } from './paydo-checkout/paydo-checkout.ts';
