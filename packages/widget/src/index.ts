// The browser bundle's public surface: the element, its error type, event types and languages.
// Card rules stay internal (tests import them from their files).
export { ApiError } from './api.ts';
export type { PaydoEvent, PaydoEventDetail, PaydoEventName } from './events.ts';
export { PaydoCheckout } from './paydo-checkout/paydo-checkout.ts';
export {
  type Dictionary,
  type DictionarySource,
  PAYDO_LANGUAGES,
  registerLanguage,
  type Strings,
} from './translations/localize.ts';
