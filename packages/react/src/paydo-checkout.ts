import type { PaydoCheckout as PaydoCheckoutElement, PaydoEvent, PaydoEventName } from '@paydo-checkout/widget';
import {
  createElement,
  type ForwardedRef,
  forwardRef,
  type HTMLAttributes,
  useEffect,
  useImperativeHandle,
  useInsertionEffect,
  useRef,
  version,
} from 'react';

// React 18 writes `className` on a custom element as an attribute named `className`; 19 writes `class`.
const CLASS_PROP = Number(version.split('.')[0]) < 19 ? 'class' : 'className';

/** The element's attributes, as props. Every one is also an attribute, so a server render carries it. */
export interface PaydoCheckoutAttributes {
  /** The order reference your server knows (attribute `order`). */
  order: string;
  /** Base URL of the server kit's routes (attribute `api`). Default `/paydo`. */
  api?: PaydoCheckoutElement['api'] | undefined;
  /** `en` or `ru`, others fall back to English (attribute `lang`). Default: the page's `lang`, then `en`. */
  lang?: string | undefined;
  /** Comma-separated method ids to offer, e.g. `200001,200003` (attribute `methods`). Default: all. */
  methods?: PaydoCheckoutElement['methods'] | undefined;
  /** How long to wait for a final state before telling the payer to check later (attribute `max-wait-ms`). */
  maxWaitMs?: PaydoCheckoutElement['maxWaitMs'] | undefined;
  /** `light`, `dark` or `auto` (the OS setting; attribute `theme`). */
  theme?: PaydoCheckoutElement['theme'];
}

/** One callback per `paydo-*` event; each gets the element's `CustomEvent` (typed `detail`). */
export interface PaydoCheckoutCallbacks {
  /** `paydo-ready`: the order and its methods are loaded. */
  onReady?: ((event: PaydoEvent<'paydo-ready'>) => void) | undefined;
  /** `paydo-method-change`: the payer chose a method. */
  onMethodChange?: ((event: PaydoEvent<'paydo-method-change'>) => void) | undefined;
  /** `paydo-submit`: Pay was pressed. `event.preventDefault()` stops the payment before anything is sent. */
  onSubmit?: ((event: PaydoEvent<'paydo-submit'>) => void) | undefined;
  /** `paydo-redirect`: about to leave for 3-D Secure or a redirect. `event.preventDefault()` and navigate yourself. */
  onRedirect?: ((event: PaydoEvent<'paydo-redirect'>) => void) | undefined;
  /** `paydo-success`: paid, or paid before (`event.detail.alreadyPaid`): move on. */
  onSuccess?: ((event: PaydoEvent<'paydo-success'>) => void) | undefined;
  /** `paydo-fail`: declined; the form stays for another try. */
  onFail?: ((event: PaydoEvent<'paydo-fail'>) => void) | undefined;
  /** `paydo-error`: something prevented paying (`offline`, `order_not_found`, `widget_load_failed`…). */
  onError?: ((event: PaydoEvent<'paydo-error'>) => void) | undefined;
}

/** Which callback each event calls. */
export const PAYDO_EVENT_CALLBACKS = {
  'paydo-ready': 'onReady',
  'paydo-method-change': 'onMethodChange',
  'paydo-submit': 'onSubmit',
  'paydo-redirect': 'onRedirect',
  'paydo-success': 'onSuccess',
  'paydo-fail': 'onFail',
  'paydo-error': 'onError',
} as const satisfies Record<PaydoEventName, keyof PaydoCheckoutCallbacks>;

/** Attributes of the host element (`id`, `className`, `style`, `aria-*`, `data-*`…); not its content. */
type HostAttributes = Omit<
  HTMLAttributes<PaydoCheckoutElement>,
  keyof PaydoCheckoutAttributes | keyof PaydoCheckoutCallbacks | 'children' | 'dangerouslySetInnerHTML'
> & { [data: `data-${string}`]: string | number | boolean | undefined };

export type PaydoCheckoutProps = PaydoCheckoutAttributes & PaydoCheckoutCallbacks & HostAttributes;

/**
 * `<paydo-checkout>` as a React component. It renders the element with its attributes (so a
 * server render sends it, ready to hydrate) and loads the element's module only in the browser,
 * after hydration; until then the tag is an empty, unknown element. The ref is the element.
 */
export const PaydoCheckout = forwardRef(function PaydoCheckout(
  props: PaydoCheckoutProps,
  ref: ForwardedRef<PaydoCheckoutElement>,
) {
  const {
    order,
    api,
    lang,
    methods,
    maxWaitMs,
    theme,
    onReady,
    onMethodChange,
    onSubmit,
    onRedirect,
    onSuccess,
    onFail,
    onError,
    className,
    ...host
  } = props;
  const element = useRef<PaydoCheckoutElement>(null);
  useImperativeHandle(ref, () => element.current as PaydoCheckoutElement, []);

  // The newest callbacks, read when an event arrives: the listeners are added once per element,
  // and a new arrow function on each render neither re-adds them nor misses an event in between.
  // Kept after commit (a render React throws away changes nothing); the insertion effect runs
  // before any other effect, and not on the server.
  const callbacks = useRef<PaydoCheckoutCallbacks>({});
  useInsertionEffect(() => {
    callbacks.current = { onReady, onMethodChange, onSubmit, onRedirect, onSuccess, onFail, onError };
  });

  useEffect(() => {
    const node = element.current;
    if (!node) return;
    const listeners = Object.entries(PAYDO_EVENT_CALLBACKS).map(([type, name]) => {
      const listener = (event: Event) => {
        // Events of an element nested inside (none today) are not this one's.
        if (event.target !== node) return;
        (callbacks.current[name] as ((event: Event) => void) | undefined)?.(event);
      };
      node.addEventListener(type, listener);
      return () => node.removeEventListener(type, listener);
    });
    // React's StrictMode runs this twice (and cleans up in between): listeners never double.
    return () => {
      for (const remove of listeners) remove();
    };
  }, []);

  useEffect(() => {
    if (customElements.get('paydo-checkout')) return;
    // Defined after hydration: the server's HTML and the first client render are the same tag.
    let mounted = true;
    import('@paydo-checkout/widget').catch((error: unknown) => {
      // StrictMode's first mount was cleaned up: only the mount still here reports, once.
      if (!mounted) return;
      const message = `The payment form could not be loaded (${error instanceof Error ? error.message : String(error)}).`;
      element.current?.dispatchEvent(
        new CustomEvent('paydo-error', { detail: { code: 'widget_load_failed', message }, bubbles: true }),
      );
    });
    return () => {
      mounted = false;
    };
  }, []);

  // Attributes, not properties: React 18 and 19 render them the same on the server and the client.
  return createElement('paydo-checkout', {
    ...host,
    [CLASS_PROP]: className,
    ref: element,
    order,
    api,
    lang,
    methods,
    'max-wait-ms': maxWaitMs,
    theme,
  });
});
