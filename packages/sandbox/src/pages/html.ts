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

const STYLE = `
:root{color-scheme:light dark;--accent:#4f46e5;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0;background:Canvas;color:CanvasText}
main{max-width:64rem;margin:0 auto;padding:1.5rem}
.card{max-width:26rem;margin:3rem auto;padding:1.5rem;border:1px solid color-mix(in srgb,CanvasText 20%,transparent);border-radius:12px}
h1{font-size:1.35rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:2rem 0 .5rem}
.badge{display:inline-block;font-size:.75rem;padding:.1rem .45rem;border-radius:999px;background:#fde68a;color:#713f12}
.amount{font-size:1.6rem;font-weight:600;margin:.5rem 0 1rem}
.actions{display:flex;gap:.75rem;margin-top:1.25rem}
button{font:inherit;padding:.6rem 1rem;border-radius:8px;border:1px solid transparent;cursor:pointer;min-height:44px}
button.primary{background:var(--accent);color:#fff}button.secondary{background:transparent;border-color:currentColor;color:inherit}
button.small{padding:.25rem .6rem;min-height:28px;font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{text-align:start;padding:.35rem .5rem;border-bottom:1px solid color-mix(in srgb,CanvasText 15%,transparent);vertical-align:top}
code{font-size:.8rem;word-break:break-all}.muted{opacity:.7}
.ok{color:#15803d}.fail{color:#b91c1c}
`;

export function page(title: string, body: Raw): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body.value}</body></html>`;
}
