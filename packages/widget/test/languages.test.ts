import { expect, fixture, html } from '@open-wc/testing';
import type { PaydoCheckout } from '../src/paydo-checkout/paydo-checkout.component.ts';
import { en } from '../src/translations/en.ts';
import { type Dictionary, registerLanguage } from '../src/translations/localize.ts';
import { checkout, FakeServer, json } from './fake-server.ts';
import { ARABIC, arabicPay } from './fixtures/arabic.ts';
import { FORM, fillCard, mount, q, qa, submit, type, until } from './helpers.ts';

let server: FakeServer;
beforeEach(() => {
  server = new FakeServer()
    .on('GET', /^\/paydo\/checkout\/r1$/, () => json(checkout()))
    .on('POST', /\/pay$/, () => json({ invoiceId: 'i', txid: 't', next: { type: 'wait', afterMs: 60_000 } }));
});
afterEach(() => server.restore());

/** The bundled languages: Paydo's twelve, and Brazilian Portuguese over Portuguese. */
const BUNDLED = ['en', 'ru', 'es', 'it', 'pt', 'pt-BR', 'de', 'fr', 'sv', 'fi', 'tr', 'pl', 'nl'];

async function dictionary(lang: string): Promise<typeof en> {
  const base = lang.split('-')[0] as string;
  const load = async (c: string): Promise<Dictionary> =>
    c === 'en' ? en : (await import(`../src/translations/${c}.ts`)).default;
  return { ...en, ...(await load(base)), ...(base === lang ? {} : await load(lang.toLowerCase())) };
}

/** Text with every kind of space as one (Intl puts no-break spaces in amounts). */
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const text = (el: PaydoCheckout, selector: string) => norm(q(el, selector)?.textContent ?? '');
const sentLanguage = () => server.calls('POST', /\/pay$/).at(-1)?.body.language;

/** Elements whose text is wider than their box (a label or button that does not fit). */
function overflowing(el: PaydoCheckout): string[] {
  return qa(el, 'label, legend, button, [part~="error"], [part~="header"] span, h2, input')
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => `${e.outerHTML.slice(0, 80)} (${e.scrollWidth} > ${e.clientWidth})`);
}

describe('every bundled language', () => {
  for (const lang of BUNDLED) {
    it(`${lang}: the form, its errors and the amount in ${lang}, fitting 375 px, with no axe violations`, async () => {
      const t = await dictionary(lang);
      const el = await mount({ lang });
      el.style.width = '375px';
      const amount = new Intl.NumberFormat(lang, { style: 'currency', currency: 'EUR' }).format(12.5);
      expect(text(el, `${FORM} legend`)).to.equal(t.methods);
      expect(text(el, '[part~="amount"]')).to.equal(norm(amount));
      expect(text(el, '[part~="submit-button"]')).to.equal(norm(t.pay(amount)));
      expect(text(el, 'label[for="f-card-pan"]')).to.equal(t.cardNumber);
      expect(q<HTMLInputElement>(el, '#f-card-expirationDate')?.placeholder).to.equal(t.mmyy);
      expect(q(el, '[part~="base"]')?.getAttribute('lang')).to.equal(lang.toLowerCase());
      // The errors too: every field at once, in the longest wording.
      await type(el, 'email', 'x');
      await submit(el);
      expect(el.shadowRoot?.getElementById('f-email-error')?.textContent).to.equal(t.invalidEmail);
      expect(el.shadowRoot?.getElementById('f-card-pan-error')?.textContent).to.equal(t.required);
      expect(overflowing(el)).to.deep.equal([]);
      await expect(el).to.be.accessible();
      // Paying sends the language Paydo's own page speaks.
      await type(el, 'email', 'ada@example.com');
      await fillCard(el);
      await submit(el);
      await until(() => sentLanguage());
      expect(sentLanguage()).to.equal(lang === 'pt-BR' ? 'pt' : lang);
      await until(() => text(el, '[part~="status"]') === t.waiting);
      expect(overflowing(el)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });
  }
});

describe('choosing the language', () => {
  it('follows the chain: pt-BR takes its own strings, then Portuguese, then English', async () => {
    registerLanguage('pt-br-test', { payOnPaydo: 'Só esta frase' });
    const el = await mount({ lang: 'pt-BR-test' });
    expect(text(el, '[part~="fallback-button"]')).to.equal('Só esta frase');
    expect(text(el, `${FORM} legend`)).to.equal('Forma de pagamento'); // from pt
    const brazil = await mount({ lang: 'pt-BR' });
    expect(text(brazil, '[part~="fallback-button"]')).to.equal('Ou pague na página da Paydo'); // from pt-br
    expect(text(brazil, 'legend')).to.equal('Forma de pagamento'); // from pt
  });

  it("takes a region's base language (de-CH → de), and English for one it does not know (sent as en)", async () => {
    const swiss = await mount({ lang: 'de-CH' });
    expect(text(swiss, 'legend')).to.equal('Zahlungsart');
    expect(q(swiss, '[part~="base"]')?.getAttribute('lang')).to.equal('de');
    const japanese = await mount({ lang: 'ja' });
    expect(text(japanese, 'legend')).to.equal('Payment method');
    // Marked as English, since that is what it shows; the amount still in Japanese style.
    expect(q(japanese, '[part~="base"]')?.getAttribute('lang')).to.equal('en');
    expect(text(japanese, '[part~="amount"]')).to.equal(
      norm(new Intl.NumberFormat('ja', { style: 'currency', currency: 'EUR' }).format(12.5)),
    );
    await fillCard(japanese);
    await submit(japanese);
    await until(() => sentLanguage());
    expect(sentLanguage()).to.equal('en');
  });

  it("takes the page's lang, and the order's language when neither names one", async () => {
    const wrapper = await fixture(html`<div lang="fr"><paydo-checkout api="/paydo" order="r1"></paydo-checkout></div>`);
    const el = wrapper.querySelector('paydo-checkout') as PaydoCheckout;
    await until(() => q(el, FORM));
    expect(text(el, `${FORM} legend`)).to.equal('Moyen de paiement');
    server.on('GET', /^\/paydo\/checkout\/r1$/, () => json(checkout({ language: 'nl' })));
    const bare = document.createElement('paydo-checkout') as PaydoCheckout;
    bare.setAttribute('order', 'r1');
    // lang="" says "no language here": the element takes the order's.
    const lone = document.createElement('div');
    lone.lang = '';
    document.body.append(lone);
    lone.append(bare);
    await until(() => q(bare, FORM));
    expect(text(bare, `${FORM} legend`)).to.equal('Betaalmethode');
    lone.remove();
  });

  it('never shows a half-loaded language: the form waits for it, and a switch keeps the old one until the new arrives', async () => {
    let arrive: (d: Dictionary) => void = () => {};
    registerLanguage('xx-slow', () => new Promise<Dictionary>((resolve) => (arrive = resolve)));
    const seen = new Set<string>();
    const el = document.createElement('paydo-checkout') as PaydoCheckout;
    el.setAttribute('order', 'r1');
    el.lang = 'xx-slow';
    document.body.append(el);
    const watch = new MutationObserver(() => seen.add(text(el, `${FORM} legend`)));
    await el.updateComplete;
    watch.observe(el.shadowRoot as ShadowRoot, { subtree: true, childList: true, characterData: true });
    await new Promise((r) => setTimeout(r, 100)); // the order has long arrived; the language has not
    expect(q(el, FORM)).to.equal(null);
    arrive({ methods: 'Slow method' });
    await until(() => q(el, FORM));
    expect(text(el, `${FORM} legend`)).to.equal('Slow method');

    let arriveNext: (d: Dictionary) => void = () => {};
    registerLanguage('yy-slow', () => new Promise<Dictionary>((resolve) => (arriveNext = resolve)));
    el.lang = 'yy-slow';
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    expect(text(el, `${FORM} legend`)).to.equal('Slow method');
    arriveNext({ methods: 'Next method' });
    await until(() => text(el, `${FORM} legend`) === 'Next method');
    watch.disconnect();
    seen.delete('');
    expect([...seen]).to.deep.equal(['Slow method', 'Next method']);
    el.remove();
  });

  it('shows English when a language module cannot be fetched (offline), and the language once it can', async () => {
    registerLanguage('xx-broken', () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')));
    const el = await mount({ lang: 'xx-broken' });
    expect(text(el, `${FORM} legend`)).to.equal('Payment method');
    const amount = new Intl.NumberFormat('xx-broken', { style: 'currency', currency: 'EUR' }).format(12.5);
    expect(text(el, '[part~="submit-button"]')).to.equal(norm(en.pay(amount)));
    registerLanguage('xx-broken', () => Promise.resolve({ methods: 'Fixed' }));
    await until(() => text(el, `${FORM} legend`) === 'Fixed');
  });
});

describe("a merchant's own wording", () => {
  it('overrides any string through the strings property, on top of the language, and back', async () => {
    const el = await mount({ lang: 'de' });
    el.strings = { pay: (amount) => `Jetzt ${amount} zahlen`, methods: 'Wie möchten Sie zahlen?' };
    await el.updateComplete;
    expect(text(el, '[part~="submit-button"]')).to.equal('Jetzt 12,50 € zahlen');
    expect(text(el, `${FORM} legend`)).to.equal('Wie möchten Sie zahlen?');
    expect(text(el, 'label[for="f-card-pan"]')).to.equal('Kartennummer');
    el.strings = undefined;
    await el.updateComplete;
    expect(text(el, `${FORM} legend`)).to.equal('Zahlungsart');
  });

  it('adds a language with registerLanguage; elements already showing re-render in it', async () => {
    const el = await mount({ lang: 'uk' });
    expect(text(el, `${FORM} legend`)).to.equal('Payment method');
    registerLanguage('uk', () =>
      Promise.resolve({
        default: {
          methods: 'Спосіб оплати',
          pay: (amount: string) => `Сплатити ${amount}`,
          cardNumber: 'Номер картки',
        },
      }),
    );
    await until(() => text(el, `${FORM} legend`) === 'Спосіб оплати');
    expect(text(el, '[part~="submit-button"]')).to.equal(
      norm(`Сплатити ${new Intl.NumberFormat('uk', { style: 'currency', currency: 'EUR' }).format(12.5)}`),
    );
    expect(text(el, '[part~="fallback-button"]')).to.equal(en.payOnPaydo); // not translated: English
    expect(q(el, '[part~="base"]')?.getAttribute('lang')).to.equal('uk');
    await fillCard(el);
    await submit(el);
    await until(() => sentLanguage());
    expect(sentLanguage()).to.equal('en'); // Paydo's own page does not speak Ukrainian
  });
});

describe("Paydo's own words", () => {
  it("never reach the payer: a decline shows its code's sentence, in a merchant's own language too", async () => {
    server.on('POST', /\/pay$/, () =>
      json({
        invoiceId: 'i',
        txid: 't',
        next: { type: 'done', status: 'fail', code: 'card_declined', message: 'The card was declined.' },
      }),
    );
    registerLanguage('kk', { card_declined: 'Карта қабылданбады.' });
    for (const [lang, sentence] of [
      ['kk', 'Карта қабылданбады.'],
      ['de', 'Die Karte wurde abgelehnt.'],
      ['en-GB', 'The card was declined.'],
    ] as const) {
      const el = await mount({ lang });
      await fillCard(el);
      await submit(el);
      await until(() => el.shadowRoot?.getElementById('f-card-pan-error'));
      expect(el.shadowRoot?.getElementById('f-card-pan-error')?.textContent, lang).to.equal(sentence);
    }
  });
});

describe('right to left', () => {
  const arabic: Dictionary = { ...ARABIC, pay: arabicPay };

  it('an Arabic registration lays the form out right to left; card digits stay left to right; no axe violations', async () => {
    registerLanguage('ar', arabic);
    const el = await mount({ lang: 'ar' });
    el.style.width = '375px';
    const base = q(el, '[part~="base"]') as HTMLElement;
    expect(base.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(base).direction).to.equal('rtl');
    expect(text(el, `${FORM} legend`)).to.equal('طريقة الدفع');
    // The amount sits at the left end of the header, the label at the right.
    const amount = (q(el, '[part~="amount"]') as Element).getBoundingClientRect();
    const label = (q(el, '[part~="header"] .muted') as Element).getBoundingClientRect();
    expect(amount.left).to.be.below(label.left);
    const pan = q<HTMLInputElement>(el, '#f-card-pan') as HTMLInputElement;
    expect(getComputedStyle(pan).direction).to.equal('ltr');
    expect(getComputedStyle(q(el, '#f-email') as Element).direction).to.equal('rtl');
    await type(el, 'email', 'x');
    await submit(el);
    expect(overflowing(el)).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it("keeps the element's own dir, and a left-to-right language under a right-to-left page", async () => {
    registerLanguage('he', { methods: 'אמצעי תשלום' });
    const el = await mount({ lang: 'he' });
    el.dir = 'ltr';
    el.requestUpdate();
    await el.updateComplete;
    expect(getComputedStyle(q(el, '[part~="base"]') as Element).direction).to.equal('ltr');
    const wrapper = await fixture(
      html`<div dir="rtl"><paydo-checkout api="/paydo" order="r1" lang="de"></paydo-checkout></div>`,
    );
    const de = wrapper.querySelector('paydo-checkout') as PaydoCheckout;
    await until(() => q(de, 'form'));
    // The page's direction is the merchant's choice: a left-to-right language does not override it.
    expect(q(de, '[part~="base"]')?.hasAttribute('dir')).to.equal(false);
    expect(getComputedStyle(q(de, '[part~="base"]') as Element).direction).to.equal('rtl');
  });
});
