import { DEFAULT_LANGUAGE, htmlLang, type Language, translator } from './i18n/index.ts';

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

export interface PageOptions {
  cartCount?: number;
  /** The back office uses the full width. */
  wide?: boolean;
  /** The page's language (the back office stays English). */
  lang?: Language;
}

export function layout(title: string, body: Html, options: PageOptions = {}): string {
  const count = options.cartCount ?? 0;
  const lang = options.lang ?? DEFAULT_LANGUAGE;
  const t = translator(lang);
  return `<!doctype html>${
    html`<html lang="${htmlLang(lang)}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} — Field & Paper</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/assets/store.css">
  <script type="module" src="/assets/paydo-checkout.js"></script>
  <script type="module" src="/assets/store.js"></script>
</head>
<body>
  <header class="top">
    <div class="top-inner${options.wide ? ' wide' : ''}">
      <a class="brand" href="/"><img src="/favicon.svg" alt="" width="28" height="28">Field &amp; Paper</a>
      <nav aria-label="${t('mainNav')}">
        ${options.wide ? html`<a href="/admin/orders">Orders</a>` : ''}
        <a href="/">${t('shop')}</a>
        <a class="cart-link" href="/cart">${t('cart')}${count ? html` <span class="count" aria-label="${t('cartItems', { n: count })}">${count}</span>` : ''}</a>
      </nav>
    </div>
  </header>
  <main class="${options.wide ? 'wide' : ''}">${body}</main>
  <footer class="foot">${t('footerBefore')} <code>@paydo-checkout</code>. ${t('footerAfter')} · <a href="/admin/orders">${t('storeAdmin')}</a></footer>
</body>
</html>`.value
  }`;
}
