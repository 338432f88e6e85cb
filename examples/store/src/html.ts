/** Tagged template that escapes every value unless it is already `Html`. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
const render = (v: unknown): string =>
  v instanceof Html
    ? v.value
    : Array.isArray(v)
      ? v.map(render).join('')
      : v === false || v == null
        ? ''
        : escapeHtml(v);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

export function layout(title: string, body: Html, options: { cartCount?: number } = {}): string {
  return `<!doctype html>${
    html`<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} — Paydo Demo Store</title>
  <link rel="stylesheet" href="/assets/store.css">
  <script type="module" src="/assets/paydo-checkout.js"></script>
  <script type="module" src="/assets/store.js"></script>
</head>
<body>
  <header class="top">
    <a class="brand" href="/">Paydo Demo Store</a>
    <nav aria-label="Main">
      <a href="/">Shop</a>
      <a href="/cart">Cart${options.cartCount ? ` (${options.cartCount})` : ''}</a>
      <a href="/admin/orders">Orders</a>
    </nav>
  </header>
  <main>${body}</main>
  <footer class="foot">A demo shop for <code>@paydo-checkout</code>. Payments run on the local Paydo sandbox unless real keys are set.</footer>
</body>
</html>`.value
  }`;
}
