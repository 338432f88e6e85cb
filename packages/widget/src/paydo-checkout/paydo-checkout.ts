import { PaydoCheckout } from './paydo-checkout.component.ts';

export { PaydoCheckout };

// Registering touches `customElements` only when it exists: importing on a server (SSR) is safe.
if (typeof customElements !== 'undefined' && !customElements.get('paydo-checkout')) {
  customElements.define('paydo-checkout', PaydoCheckout);
}

declare global {
  interface HTMLElementTagNameMap {
    'paydo-checkout': PaydoCheckout;
  }
}
