import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { PaydoCheckout } from '../src/paydo-checkout/paydo-checkout.component.ts';
import { checkout, FakeServer, json } from './fake-server.ts';
import { FORM, fillCard, mount, q, statusText, submit, until } from './helpers.ts';

let server: FakeServer;
beforeEach(() => {
  server = new FakeServer().on('GET', /^\/paydo\/checkout\/r1$/, () => json(checkout()));
});
afterEach(() => server.restore());

describe('locales and layout', () => {
  it('speaks Russian with lang="ru", amount formatted for ru', async () => {
    const el = await mount({ lang: 'ru' });
    const button = q(el, '[part~="submit-button"]')?.textContent?.trim() ?? '';
    expect(button).to.match(/^Оплатить 12,50\s€$/);
    expect(q(el, 'legend')?.textContent).to.equal('Способ оплаты');
    await submit(el);
    expect(el.shadowRoot?.getElementById('f-card-pan-error')?.textContent).to.equal('Заполните это поле.');
  });

  it("takes the page's lang when it has none of its own", async () => {
    const wrapper = await fixture(
      html`<section lang="ru"><paydo-checkout api="/paydo" order="r1"></paydo-checkout></section>`,
    );
    const el = wrapper.querySelector('paydo-checkout') as PaydoCheckout;
    await until(() => q(el, FORM));
    expect(q(el, 'legend')?.textContent).to.equal('Способ оплаты');
  });

  it('falls back to English for a language it does not bundle', async () => {
    const el = await mount({ lang: 'ja' });
    expect(q(el, 'legend')?.textContent).to.equal('Payment method');
  });

  it('lays out right to left under dir="rtl" (logical properties)', async () => {
    const wrapper = await fixture(html`<div dir="rtl"><paydo-checkout api="/paydo" order="r1"></paydo-checkout></div>`);
    const el = wrapper.querySelector('paydo-checkout') as PaydoCheckout;
    await until(() => q(el, FORM));
    const amount = (q(el, '[part~="amount"]') as Element).getBoundingClientRect();
    const label = (q(el, '[part~="header"] .muted') as Element).getBoundingClientRect();
    expect(amount.left).to.be.below(label.left);
  });
});

describe('embedding', () => {
  it('works inside another shadow root; its events cross it', async () => {
    server.on('POST', /\/pay$/, () => json({ invoiceId: 'i', txid: 't', next: { type: 'done', status: 'success' } }));
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    const el = document.createElement('paydo-checkout') as PaydoCheckout;
    el.setAttribute('order', 'r1');
    root.append(el);
    await until(() => q(el, FORM));
    await fillCard(el);
    const success = oneEvent(document, 'paydo-success');
    await submit(el);
    expect((await success).detail.txid).to.equal('t');
    expect(statusText(el)).to.contain('Thank you');
    host.remove();
  });

  it('works under a strict Content-Security-Policy (no inline scripts or styles, no eval)', async () => {
    // A page of its own (not srcdoc: Firefox gives a srcdoc document's 'self' no origin to match).
    const frame = document.createElement('iframe');
    frame.src = new URL('./fixtures/strict-csp.html', import.meta.url).href;
    document.body.append(frame);
    const win = frame.contentWindow as Window & typeof globalThis;
    await until(() => win.customElements?.get('paydo-checkout'), 'the widget did not load under CSP', 10_000);
    const violations: string[] = [];
    win.document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
    win.fetch = (async () =>
      new Response(JSON.stringify(checkout()), { headers: { 'content-type': 'application/json' } })) as typeof fetch;
    const el = win.document.createElement('paydo-checkout') as PaydoCheckout;
    el.setAttribute('order', 'r1');
    win.document.body.append(el);
    await until(() => el.shadowRoot?.querySelector('form'));
    const button = el.shadowRoot?.querySelector('[part~="submit-button"]') as HTMLElement;
    // Styles applied (adopted stylesheets are allowed by style-src 'self').
    expect(win.getComputedStyle(button).minHeight).to.equal('44px');
    expect(violations).to.deep.equal([]);
    frame.remove();
  });
});
