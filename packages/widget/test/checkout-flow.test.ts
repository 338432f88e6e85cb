/**
 * What the payer is told, by the flow's states: hosted card mode, a cancel on Paydo's page, Back
 * without paying, a failure that is nobody's field, method names and field messages in the payer's
 * language, and storage that cannot break the form.
 */
import { expect, oneEvent } from '@open-wc/testing';
import { BANK_METHOD, CARD_METHOD, checkout, FakeServer, json } from './fake-server.ts';
import { FORM, fillCard, input, live, mount, q, qa, submit, type, until } from './helpers.ts';

let server: FakeServer;
beforeEach(() => {
  server = new FakeServer().on('GET', /^\/paydo\/checkout\/r1$/, () => json(checkout()));
});
afterEach(() => {
  server.restore();
  sessionStorage.clear();
});

const notice = (el: Element) => q(el as never, '[part~="notice"]');
const invalid = (el: Element) => qa(el as never, '[aria-invalid="true"]').map((i) => (i as HTMLInputElement).name);

describe('hosted card mode: one way to Paydo', () => {
  it('the card method shows the payer fields and one button to Paydo’s card page, nothing else that leads there', async () => {
    server.on('GET', /^\/paydo\/checkout\/r1$/, () => json(checkout({ cardMode: 'hosted' })));
    const el = await mount();
    expect(q(el, '[part~="card-form"]')).to.equal(null);
    expect(qa(el, 'button').map((b) => b.textContent?.trim())).to.deep.equal(["Pay €12.50 on Paydo's card page"]);
    expect(q(el, '[part~="fallback-button"]')).to.equal(null);
    // Another method keeps the manual fallback: its own Pay does not go to Paydo's page.
    qa<HTMLInputElement>(el, 'input[type="radio"]')[1]?.click();
    await el.updateComplete;
    expect(q(el, '[part~="fallback-button"]')).to.exist;
  });
});

describe('cancelled on Paydo’s page is not a decline', () => {
  it('back with the cancelled transaction: a neutral sentence, no field marked, nothing cleared', async () => {
    server.on('GET', /\/transactions\/tx-7\/next$/, () =>
      json({ txid: 'tx-7', next: { type: 'done', status: 'fail', code: 'payment_cancelled', message: 'x' } }),
    );
    sessionStorage.setItem('paydo:r1', JSON.stringify({ email: 'grace@example.com', left: '1' }));
    const before = location.href;
    history.replaceState(null, '', `${location.pathname}?paydo_txid=tx-7`);
    try {
      const fail = oneEvent(document, 'paydo-fail');
      const el = await mount();
      expect((await fail).detail.code).to.equal('payment_cancelled');
      await until(() => notice(el));
      expect(notice(el)?.textContent).to.equal('The payment was cancelled. Choose another way to pay.');
      expect(notice(el)?.classList.contains('fail')).to.equal(false);
      expect(invalid(el)).to.deep.equal([]);
      expect(input(el, 'email').value).to.equal('grace@example.com');
      expect(live(el)).to.equal('The payment was cancelled. Choose another way to pay.');
      expect(q(el, '[part~="submit-button"]')?.hasAttribute('disabled')).to.equal(false);
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('Back from Paydo’s page without paying (no transaction): the same neutral sentence, once', async () => {
    sessionStorage.setItem('paydo:r1', JSON.stringify({ email: 'grace@example.com', left: '1' }));
    const el = await mount();
    expect(notice(el)?.textContent).to.equal('The payment was cancelled. Choose another way to pay.');
    expect(invalid(el)).to.deep.equal([]);
    expect(input(el, 'email').value).to.equal('grace@example.com');
    // Typing is a new attempt: the sentence goes.
    await type(el, 'email', 'ada@example.com');
    expect(notice(el)).to.equal(null);
    // A reload later does not say it again.
    el.remove();
    const again = await mount();
    expect(notice(again)).to.equal(null);
    expect(input(again, 'email').value).to.equal('grace@example.com');
  });

  it('in Russian too', async () => {
    sessionStorage.setItem('paydo:r1', JSON.stringify({ left: '1' }));
    const el = await mount({ lang: 'ru' });
    expect(notice(el)?.textContent).to.equal('Платёж отменён. Выберите другой способ оплаты.');
  });
});

describe('a failure that is nobody’s field', () => {
  it('timed out: said above the form; the card number is not marked and the CVC stays', async () => {
    server.on('POST', /\/pay$/, () =>
      json({
        invoiceId: 'i',
        txid: 'tx-1',
        next: { type: 'done', status: 'fail', code: 'payment_timed_out', message: 'x' },
      }),
    );
    const el = await mount();
    await fillCard(el);
    const fail = oneEvent(el, 'paydo-fail');
    await submit(el);
    expect((await fail).detail.code).to.equal('payment_timed_out');
    await el.updateComplete;
    expect(notice(el)?.textContent).to.equal('The payment did not go through.');
    expect(notice(el)?.classList.contains('fail')).to.equal(true);
    expect(invalid(el)).to.deep.equal([]);
    expect(input(el, 'card.cvv').value).to.equal('123');
    expect(el.shadowRoot?.activeElement).to.equal(notice(el));
  });

  it('a card decline stays on the card number', async () => {
    server.on('POST', /\/pay$/, () =>
      json({
        invoiceId: 'i',
        txid: 'tx-1',
        next: { type: 'done', status: 'fail', code: 'card_declined', message: 'x' },
      }),
    );
    const el = await mount();
    await fillCard(el);
    await submit(el);
    await until(() => invalid(el).length);
    expect(invalid(el)).to.deep.equal(['card.pan']);
    expect(notice(el)).to.equal(null);
  });
});

describe("method names and field messages in the payer's language", () => {
  const WALLET = { ...BANK_METHOD, id: 200003, title: 'Sandbox Wallet', type: 'ewallet', fields: [] };

  it('generic names are translated by type; a brand name stays as Paydo sends it', async () => {
    server.on('GET', /^\/paydo\/checkout\/r1$/, () => json(checkout({ methods: [CARD_METHOD, BANK_METHOD, WALLET] })));
    const names = async (lang: string) => {
      const el = await mount({ lang });
      const shown = qa(el, '[part~="method"]').map((m) => m.textContent?.trim());
      el.remove();
      return shown;
    };
    expect(await names('ru')).to.deep.equal(['Банковская карта', 'Банковский перевод', 'Sandbox Wallet']);
    expect(await names('de')).to.deep.equal(['Bankkarte', 'Banküberweisung', 'Sandbox Wallet']);
    expect(await names('en')).to.deep.equal(['Bank card', 'Bank transfer', 'Sandbox Wallet']);
  });

  it("the national id's message says what it needs (10 digits), in English and in Russian", async () => {
    for (const [lang, sentence] of [
      ['en', 'Enter 10 digits.'],
      ['ru', 'Количество цифр: 10.'],
    ] as const) {
      const el = await mount({ lang, methods: '200002' });
      await type(el, 'nationalid', '12ab');
      await submit(el);
      expect(el.shadowRoot?.getElementById('f-nationalid-error')?.textContent).to.equal(sentence);
      el.remove();
    }
  });
});

describe('storage that cannot break the form', () => {
  it('a corrupt saved value means nothing was kept: the form shows, prefilled from the order', async () => {
    for (const corrupt of ['{not json', '"a string"', 'null', '[1,2]', '{"email":{"x":1},"name":"Grace"}']) {
      sessionStorage.setItem('paydo:r1', corrupt);
      const el = await mount();
      expect(q(el, FORM), corrupt).to.exist;
      expect(input(el, 'email').value, corrupt).to.equal('ada@example.com');
      el.remove();
    }
  });

  it('a sessionStorage that throws (a sandboxed frame): the form shows, and paying still leaves for 3-D Secure', async () => {
    const original = Object.getOwnPropertyDescriptor(window, 'sessionStorage') as PropertyDescriptor;
    Object.defineProperty(window, 'sessionStorage', {
      configurable: true,
      get() {
        throw new DOMException('The document is sandboxed.', 'SecurityError');
      },
    });
    try {
      server.on('POST', /\/pay$/, () =>
        json({ invoiceId: 'i', txid: 'tx-1', next: { type: 'redirect', url: 'https://acs.example/x' } }),
      );
      const el = await mount();
      expect(q(el, FORM)).to.exist;
      await fillCard(el);
      el.addEventListener('paydo-redirect', (e) => e.preventDefault(), { once: true });
      const redirect = oneEvent(el, 'paydo-redirect');
      await submit(el);
      expect((await redirect).detail.url).to.equal('https://acs.example/x');
    } finally {
      Object.defineProperty(window, 'sessionStorage', original);
    }
  });
});
