import { PaydoCheckout, type PaydoCheckoutElement } from '@paydo-checkout/react';
import { type FormEvent, useEffect, useRef, useState } from 'react';

/** What the server knows of the order and hands to the page (the browser never sets an amount). */
export interface CheckoutData {
  orderRef: string;
  description: string;
  /** Formatted on the server, e.g. "€12.50". */
  total: string;
}

/** What a page shows: the product, or the checkout of an order. */
export type PageData = { page: 'home'; description: string; total: string } | ({ page: 'checkout' } & CheckoutData);

/**
 * The site: the product page, whose Buy creates the order and shows its checkout without a page
 * load (a client-side navigation: `<PaydoCheckout>` mounts in the browser), and the checkout page
 * (rendered on the server and hydrated when loaded directly, after 3-D Secure or a reload).
 */
export function App({ initial }: { initial: PageData }) {
  const [data, setData] = useState(initial);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    // Back to the product page after a client-side navigation: the server renders it again.
    const reload = () => location.reload();
    addEventListener('popstate', reload);
    return () => removeEventListener('popstate', reload);
  }, []);

  if (data.page === 'checkout') return <Checkout {...data} />;

  // Without JavaScript the form posts and the server redirects to the checkout page.
  const buy = async (event: FormEvent) => {
    event.preventDefault();
    setProblem('');
    const response = await fetch('/orders', { method: 'POST', headers: { accept: 'application/json' } }).catch(
      () => null,
    );
    if (!response?.ok) {
      setProblem('The order could not be created. Check your connection and try again.');
      return;
    }
    const order = (await response.json()) as CheckoutData;
    history.pushState(null, '', `/checkout/${order.orderRef}`);
    setData({ page: 'checkout', ...order });
  };
  return (
    <main>
      <h1>{data.description}</h1>
      <p>
        A mug for your morning coffee: <strong>{data.total}</strong>
      </p>
      <form method="post" action="/orders" onSubmit={buy}>
        <button type="submit">Buy</button>
      </form>
      {problem && <p role="alert">{problem}</p>}
    </main>
  );
}

/** The checkout page's body: the order, `<PaydoCheckout>`, and the events it has received. */
export function Checkout({ orderRef, description, total }: CheckoutData) {
  const checkout = useRef<PaydoCheckoutElement>(null);
  const [events, setEvents] = useState<string[]>([]);
  const [paid, setPaid] = useState<string | null>(null);
  const [loadProblem, setLoadProblem] = useState('');
  const note = (line: string) => setEvents((lines) => [...lines, line]);

  return (
    <main>
      <h1>Checkout</h1>
      <p>
        {description}: <strong>{total}</strong>
      </p>
      {paid && (
        <p className="paid" role="status">
          Thank you: the order is paid. <a href={`/orders/${orderRef}`}>See the order</a>
        </p>
      )}
      {loadProblem && (
        <p role="alert">
          {loadProblem} <a href={`/checkout/${orderRef}`}>Reload the page</a>
        </p>
      )}
      <PaydoCheckout
        ref={checkout}
        order={orderRef}
        api="/paydo"
        lang="en"
        theme="light"
        onReady={(event) =>
          // The ref is the element itself: its attributes, properties and methods.
          note(`paydo-ready: ${event.detail.methods.length} methods for ${checkout.current?.getAttribute('order')}`)
        }
        onMethodChange={(event) => note(`paydo-method-change: ${event.detail.method.title}`)}
        onSubmit={(event) => note(`paydo-submit: ${event.detail.method.title}`)}
        onRedirect={(event) => note(`paydo-redirect: ${event.detail.method} ${new URL(event.detail.url).pathname}`)}
        onSuccess={(event) => {
          note(`paydo-success: ${event.detail.txid}${event.detail.alreadyPaid ? ' (paid before)' : ''}`);
          setPaid(event.detail.txid ?? '');
        }}
        onFail={(event) => note(`paydo-fail: ${event.detail.message}`)}
        onError={(event) => {
          note(`paydo-error: ${event.detail.code}`);
          // The element shows its own errors; one it cannot show is its module failing to load.
          if (event.detail.code === 'widget_load_failed') setLoadProblem(event.detail.message);
        }}
      />
      <h2>Events</h2>
      <ol className="events">
        {events.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an append-only log
          <li key={index} data-event={line.slice(0, line.indexOf(':'))}>
            {line}
          </li>
        ))}
      </ol>
    </main>
  );
}
