export { ApiError } from './api.ts';
export * from './card/card-data.ts';
export type { PaydoEvent, PaydoEventDetail, PaydoEventName } from './events.ts';
export { PaydoCheckout } from './paydo-checkout/paydo-checkout.ts';
export { en } from './translations/en.ts';
export { ru } from './translations/ru.ts';
