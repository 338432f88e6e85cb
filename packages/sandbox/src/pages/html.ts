/** Escaped HTML templates: every interpolated value is escaped unless it is a `Raw`. */
export class Raw {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const rendered = Array.isArray(value)
      ? value.map((v) => (v instanceof Raw ? v.value : escapeHtml(v))).join('')
      : value instanceof Raw
        ? value.value
        : escapeHtml(value);
    out += rendered + (strings[i + 1] ?? '');
  });
  return new Raw(out);
}

// Light, as Paydo's own payment page is; dark where the payer's system asks for it. Every
// colour pair meets WCAG AA contrast (axe checks it in the browser suite).
const STYLE = `
:root{color-scheme:light dark;--bg:#f3f4f8;--surface:#fff;--text:#1b1f2b;--muted:#525a6b;--line:#d5d9e2;
--accent:#2346c8;--accent-text:#fff;--focus:#2346c8;--error:#b42318;--error-bg:#fdecea;--ok:#15703a;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.45}
@media (prefers-color-scheme:dark){:root{--bg:#11131a;--surface:#1b1e27;--text:#eef0f5;--muted:#b3b9c6;
--line:#3a3f4d;--accent:#8fa8ff;--accent-text:#0b1030;--focus:#8fa8ff;--error:#ffb4ab;--error-bg:#3b1512;--ok:#7fd89a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font-size:1rem}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.pay{max-width:28rem;margin:0 auto;padding:1rem}
.sheet{background:var(--surface);border:1px solid var(--line);border-radius:14px;padding:1.25rem 1.25rem 1.5rem;margin-top:.75rem}
.brand{display:flex;align-items:center;justify-content:space-between;gap:.75rem;padding:.25rem 0}
.brand img{display:block;height:32px;width:auto}.brand .name{font-weight:700;font-size:1.1rem}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.15rem .55rem;border-radius:999px;background:#fde68a;color:#5c3608}
.summary{border-bottom:1px solid var(--line);padding-bottom:1rem;margin-bottom:1rem}
.summary dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;font-size:.9rem}
.summary dt{color:var(--muted)}.summary dd{margin:0;text-align:end;overflow-wrap:anywhere}
.amount-label{margin:0;color:var(--muted);font-size:.9rem}
.amount{font-size:1.9rem;font-weight:700;margin:.1rem 0 .75rem;letter-spacing:-.01em}
h1{font-size:1.25rem;margin:0 0 .75rem}h2{font-size:1.1rem;margin:2rem 0 .5rem}
p{margin:.5rem 0}
.field{display:flex;flex-direction:column;gap:.35rem;margin:0 0 1rem}
.field label{font-weight:600;font-size:.95rem}
.field input{font:inherit;font-size:1rem;padding:.7rem .8rem;min-height:48px;width:100%;border:1px solid var(--muted);border-radius:8px;background:var(--surface);color:var(--text)}
.field input:focus-visible{outline:3px solid var(--focus);outline-offset:0;border-color:var(--focus)}
.hint{color:var(--muted);font-size:.85rem;margin:0}
.row{display:grid;grid-template-columns:1fr 1fr;gap:0 .75rem}
.error{background:var(--error-bg);color:var(--error);border-radius:8px;padding:.6rem .8rem;font-weight:600}
.actions{display:flex;flex-direction:column;gap:.6rem;margin-top:1.25rem}
button,.button{font:inherit;font-weight:600;padding:.7rem 1rem;border-radius:8px;border:1px solid transparent;cursor:pointer;min-height:48px;width:100%;text-align:center;text-decoration:none;display:inline-block}
button.primary,.button.primary{background:var(--accent);color:var(--accent-text)}
button.secondary{background:transparent;border-color:var(--muted);color:var(--text)}
.foot{color:var(--muted);font-size:.8rem;text-align:center;margin:1rem 0}
.scroll td,.scroll th{white-space:nowrap}.scroll code{word-break:normal}
.dash{max-width:72rem;margin:0 auto;padding:1rem}
.dash .meta{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.inline{display:inline-flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.25rem 0}
.inline button,button.small{width:auto;min-height:36px;padding:.3rem .75rem;font-size:.875rem}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:var(--surface)}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{text-align:start;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;white-space:nowrap}
code{font-size:.8rem;word-break:break-all}.muted{color:var(--muted)}
.ok{color:var(--ok)}.fail{color:var(--error)}
@media (max-width:400px){.pay{padding:.5rem}.sheet{padding:1rem}.amount{font-size:1.6rem}}
`;

export function page(title: string, body: Raw): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body.value}</body></html>`;
}

/** What the payer is paying: the summary at the top of every payment page. */
export interface PaymentSummary {
  /** Who is paid: the shop's site. */
  merchant: string;
  amount: string;
  currency: string;
  orderId?: string | undefined;
  description?: string | undefined;
}

/**
 * A payment page as Paydo's (or the bank's) look: the brand, the amount and the merchant
 * first, then one heading and the page's content. `brand` is who runs the page.
 */
export function paymentPage(options: {
  title: string;
  heading: string;
  brand?: 'paydo' | 'bank' | 'wallet';
  summary?: PaymentSummary | undefined;
  body: Raw;
}): string {
  const { summary } = options;
  const brand =
    options.brand === 'bank'
      ? html`<span class="name">Sandbox bank</span>`
      : options.brand === 'wallet'
        ? html`<span class="name">Sandbox Wallet</span>`
        : html`<img src="/_sandbox/assets/paydo.svg" alt="Paydo" width="48" height="32">`;
  return page(
    options.title,
    html`<div class="pay">
      <header class="brand">${brand}<span class="badge">Sandbox</span></header>
      <main class="sheet" aria-labelledby="page-heading">
        ${
          summary
            ? html`<section class="summary" aria-label="Payment summary">
          <p class="amount-label">Amount to pay</p>
          <p class="amount">${formatAmount(summary.amount, summary.currency)}</p>
          <dl>
            <dt>Merchant</dt><dd>${summary.merchant}</dd>
            ${summary.orderId ? html`<dt>Order</dt><dd>${summary.orderId}</dd>` : ''}
            ${summary.description ? html`<dt>Description</dt><dd>${summary.description}</dd>` : ''}
          </dl>
        </section>`
            : ''
        }
        <h1 id="page-heading">${options.heading}</h1>
        ${options.body}
      </main>
      <footer class="foot"><p>Paydo sandbox: a local emulator. No real money moves.</p></footer>
    </div>`,
  );
}

/** One form field: the label above its input, an optional hint tied to it. */
export function field(options: {
  name: string;
  label: string;
  value?: string | undefined;
  required?: boolean;
  type?: string;
  autocomplete?: string;
  inputmode?: string;
  hint?: string;
  maxlength?: number;
}): Raw {
  const id = `f-${options.name.replace(/[^\w-]/g, '-')}`;
  const hint = options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : '';
  return html`<div class="field">
    <label for="${id}">${options.label}</label>
    <input id="${id}" name="${options.name}" type="${options.type ?? 'text'}"${
      options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''
    }${options.inputmode ? html` inputmode="${options.inputmode}"` : ''}${
      options.maxlength ? html` maxlength="${options.maxlength}"` : ''
    }${options.hint ? html` aria-describedby="${id}-hint"` : ''} value="${options.value ?? ''}"${
      options.required ? html` required` : ''
    }>
    ${hint}
  </div>`;
}

export function formatAmount(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

/** The shop the payer pays: the host of the invoice's return address. */
export function merchantOf(resultUrl: string): string {
  try {
    return new URL(resultUrl).host || 'Sandbox project';
  } catch {
    return 'Sandbox project';
  }
}
