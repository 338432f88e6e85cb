import { expect, oneEvent } from '@open-wc/testing';
import { resetMouse, sendMouse } from '@web/test-runner-commands';
import { BANK_METHOD, checkout, FakeServer, json } from './fake-server.ts';
import { FORM, fillCard, input, live, mount, q, qa, statusText, submit, type, until } from './helpers.ts';

let server: FakeServer;
beforeEach(() => {
  server = new FakeServer().on('GET', /^\/paydo\/checkout\/r1$/, () => json(checkout()));
});
afterEach(() => server.restore());

const paid =
  (next: unknown, txid = 'tx-1') =>
  () =>
    json({ invoiceId: 'inv-1', txid, next });

describe('<paydo-checkout> rendering', () => {
  it("shows the amount formatted for the locale, the methods and the chosen method's fields", async () => {
    const el = await mount();
    expect(q(el, '[part~="amount"]')?.textContent).to.equal('€12.50');
    expect(qa(el, '[part~="method"]').map((m) => m.textContent?.trim())).to.deep.equal(['Bank card', 'Bank transfer']);
    expect(qa<HTMLInputElement>(el, 'input[part~="input"]').map((i) => i.name)).to.deep.equal([
      'email',
      'card.pan',
      'card.expirationDate',
      'card.cvv',
      'card.holderName',
    ]);
    expect(input(el, 'email').value).to.equal('ada@example.com'); // prefilled from the server
    // One name: the card method's "Full name" is the name on the card, prefilled from the order.
    expect(input(el, 'card.holderName').value).to.equal('Ada Lovelace');
    expect(input(el, 'card.expirationDate').placeholder).to.equal('MM/YY');
    expect(q(el, '[part~="submit-button"]')?.textContent?.trim()).to.equal('Pay €12.50');
  });

  it("fires paydo-ready and paydo-method-change, and shows the bank transfer's extra field", async () => {
    const el = document.createElement('paydo-checkout');
    el.setAttribute('order', 'r1');
    const ready = oneEvent(el, 'paydo-ready');
    document.body.append(el);
    const { detail } = await ready;
    expect(detail.order.amount).to.equal('12.50');
    await el.updateComplete;
    const change = oneEvent(el, 'paydo-method-change');
    qa<HTMLInputElement>(el, 'input[type="radio"]')[1]?.click();
    expect((await change).detail.method.id).to.equal(BANK_METHOD.id);
    await el.updateComplete;
    expect(input(el, 'nationalid')).to.exist;
    expect(q(el, 'input[name="card.pan"]')).to.equal(null);
    el.remove();
  });

  it('offers only the methods named in the methods attribute', async () => {
    const el = await mount({ methods: '200002' });
    expect(qa(el, '[part~="method"]').map((m) => m.textContent?.trim())).to.deep.equal(['Bank transfer']);
  });

  it('uses autocomplete and inputmode so autofill and mobile keyboards work', async () => {
    const el = await mount();
    // The attribute, not the IDL property: Firefox reflects only the tokens its own autofill knows (not cc-csc).
    const attrs = (name: string) => [input(el, name).getAttribute('autocomplete'), input(el, name).inputMode];
    expect(attrs('card.pan')).to.deep.equal(['cc-number', 'numeric']);
    expect(attrs('card.expirationDate')).to.deep.equal(['cc-exp', 'numeric']);
    expect(attrs('card.cvv')).to.deep.equal(['cc-csc', 'numeric']);
    expect(attrs('card.holderName')[0]).to.equal('cc-name');
    expect(input(el, 'email').getAttribute('autocomplete')).to.equal('email');
    expect(input(el, 'email').type).to.equal('email');
  });
});

describe('card form', () => {
  it('groups the number live, detects the brand and takes a pasted spaced number', async () => {
    const el = await mount();
    await type(el, 'card.pan', '4242 4242-4242 4242', 'insertFromPaste');
    expect(input(el, 'card.pan').value).to.equal('4242 4242 4242 4242');
    expect(q(el, '[part~="card-brand"]')?.textContent).to.equal('VISA');
    await type(el, 'card.pan', '378282246310005');
    expect(input(el, 'card.pan').value).to.equal('3782 822463 10005');
    expect(input(el, 'card.cvv').maxLength).to.equal(4);
  });

  it('formats the expiry as MM/YY while typing and lets backspace remove the slash', async () => {
    const el = await mount();
    await type(el, 'card.expirationDate', '4');
    expect(input(el, 'card.expirationDate').value).to.equal('04/');
    await type(el, 'card.expirationDate', '04', 'deleteContentBackward');
    expect(input(el, 'card.expirationDate').value).to.equal('04');
  });

  it('checks every rule on submit, links each error to its input and focuses the first', async () => {
    const el = await mount();
    await type(el, 'email', 'not-an-email');
    await type(el, 'card.pan', '4242424242424241');
    await type(el, 'card.expirationDate', '01/20');
    await type(el, 'card.cvv', '12');
    await type(el, 'card.holderName', '');
    await submit(el);
    const errorOf = (name: string) => {
      const field = input(el, name);
      expect(field.getAttribute('aria-invalid')).to.equal('true');
      return el.shadowRoot?.getElementById(field.getAttribute('aria-describedby') ?? '')?.textContent;
    };
    expect(errorOf('email')).to.equal('Enter an e-mail address like name@example.com.');
    expect(errorOf('card.pan')).to.equal('The card number is not valid.');
    expect(errorOf('card.expirationDate')).to.equal('This card has expired.');
    expect(errorOf('card.cvv')).to.equal('Enter the 3-digit security code.');
    expect(errorOf('card.holderName')).to.equal('This field is required.');
    expect(el.shadowRoot?.activeElement).to.equal(input(el, 'email'));
    expect(live(el)).to.equal('Please correct the highlighted fields.');
    expect(server.calls('POST', /pay$/)).to.have.length(0);
    await type(el, 'card.pan', '4242');
    expect(input(el, 'card.pan').getAttribute('aria-invalid')).to.equal('false');
    await submit(el);
    expect(input(el, 'card.pan').getAttribute('aria-describedby')).to.equal('f-card-pan-error');
    expect(el.shadowRoot?.getElementById('f-card-pan-error')?.textContent).to.equal('The card number is incomplete.');
  });

  it("checks a method field's pattern", async () => {
    const el = await mount({ methods: '200002' });
    await type(el, 'nationalid', '12ab');
    await submit(el);
    expect(input(el, 'nationalid').getAttribute('aria-invalid')).to.equal('true');
  });
});

describe('paying', () => {
  it('sends one POST with an Idempotency-Key and the card only there; shows success and fires paydo-success', async () => {
    server.on('POST', /\/pay$/, paid({ type: 'done', status: 'success' }));
    const el = await mount();
    await fillCard(el, '4242 4242 4242 4242');
    const success = oneEvent(el, 'paydo-success');
    await submit(el);
    expect((await success).detail).to.deep.equal({ txid: 'tx-1', invoiceId: 'inv-1' });
    const [call] = server.calls('POST', /\/pay$/);
    expect(call?.url).to.equal('/paydo/checkout/r1/pay');
    expect(call?.headers['idempotency-key']).to.match(/^[0-9a-f-]{36}$/);
    expect(call?.body).to.deep.equal({
      method: 200001,
      payer: { email: 'ada@example.com', name: 'Ada Lovelace', extraFields: {} },
      language: 'en',
      card: { pan: '4242424242424242', expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' },
    });
    expect(call?.body).not.to.have.property('amount');
    await el.updateComplete;
    expect(statusText(el)).to.equal('Payment received. Thank you!');
    expect(live(el)).to.equal('Payment received. Thank you!');
    expect(el.shadowRoot?.activeElement?.tagName).to.equal('H2');
  });

  it('cannot double-submit: the button is disabled while paying, and one POST is sent', async () => {
    let release: () => void = () => {};
    server.on(
      'POST',
      /\/pay$/,
      () =>
        new Promise<Response>(
          (r) => (release = () => r(json({ invoiceId: 'i', txid: 't', next: { type: 'done', status: 'success' } }))),
        ),
    );
    const el = await mount();
    await fillCard(el);
    await submit(el);
    await submit(el);
    const button = q<HTMLButtonElement>(el, '[part~="submit-button"]');
    expect(button?.disabled).to.equal(true);
    expect(button?.textContent).to.contain('Processing your payment');
    release();
    await until(() => statusText(el).includes('Payment received'));
    expect(server.calls('POST', /\/pay$/)).to.have.length(1);
  });

  it('lets the merchant cancel paydo-submit: nothing is sent', async () => {
    const el = await mount();
    await fillCard(el);
    el.addEventListener('paydo-submit', (e) => e.preventDefault(), { once: true });
    await submit(el);
    expect(server.calls('POST', /\/pay$/)).to.have.length(0);
    expect(q(el, FORM)).to.exist;
  });

  it('keeps the Idempotency-Key across a network retry of the same attempt, and takes a new one for a new attempt', async () => {
    server.on(
      'POST',
      /\/pay$/,
      () => 'offline',
      paid({ type: 'done', status: 'fail', code: 'card_declined', message: 'The card was declined.' }),
      paid({ type: 'done', status: 'success' }, 'tx-2'),
    );
    const el = await mount();
    await fillCard(el);
    const fail = oneEvent(el, 'paydo-fail');
    await submit(el);
    expect((await fail).detail).to.deep.equal({
      txid: 'tx-1',
      code: 'card_declined',
      message: 'The card was declined.',
    });
    const [first, second] = server.calls('POST', /\/pay$/);
    expect(first?.headers['idempotency-key']).to.equal(second?.headers['idempotency-key']);
    await el.updateComplete;
    // Declined inline: the form stays, the reason sits by the card number and is announced,
    // the CVC is cleared and focus is on the card number.
    expect(el.shadowRoot?.getElementById('f-card-pan-error')?.textContent).to.equal('The card was declined.');
    expect(live(el)).to.contain('The card was declined.');
    expect(input(el, 'card.cvv').value).to.equal('');
    expect(input(el, 'card.pan').value).to.equal('4242 4242 4242 4242');
    expect(el.shadowRoot?.activeElement).to.equal(input(el, 'card.pan'));
    await type(el, 'card.cvv', '321');
    await submit(el);
    await until(() => statusText(el).includes('Payment received'));
    const third = server.calls('POST', /\/pay$/)[2];
    expect(third?.headers['idempotency-key']).not.to.equal(first?.headers['idempotency-key']);
  });

  it("shows the server's field errors on their inputs", async () => {
    server.on('POST', /\/pay$/, () =>
      json({ error: 'validation', message: 'x', fields: { nationalid: ['Paydo says no.'] } }, 422),
    );
    const el = await mount({ methods: '200002' });
    await type(el, 'nationalid', '1234567890');
    await submit(el);
    await until(() => input(el, 'nationalid').getAttribute('aria-invalid') === 'true');
    // The server's words are for developers: the payer gets the widget's own sentence.
    expect(el.shadowRoot?.getElementById('f-nationalid-error')?.textContent).to.equal('The format is not valid.');
    expect(server.calls('POST', /\/pay$/)[0]?.body.payer.extraFields).to.deep.equal({ nationalid: '1234567890' });
  });
});

describe("limits and messages in the payer's language", () => {
  it('a 300-character name: maxlength on the input, checked before sending, said in Russian', async () => {
    const el = await mount({ lang: 'ru' });
    expect(input(el, 'card.holderName').maxLength).to.equal(255);
    expect(input(el, 'email').maxLength).to.equal(255);
    await fillCard(el);
    await type(el, 'card.holderName', 'Я'.repeat(300)); // a script sets what maxlength stops a person typing
    await submit(el);
    expect(el.shadowRoot?.getElementById('f-card-holderName-error')?.textContent).to.equal('Не больше 255 символов.');
    expect(server.calls('POST', /\/pay$/)).to.have.length(0);
  });

  it("the server's English field error becomes a Russian sentence on its input", async () => {
    server.on('POST', /\/pay$/, () =>
      json(
        {
          error: 'validation',
          message: 'x',
          fields: { 'card.holderName': ['Too big: expected string to have <=255 characters'] },
        },
        422,
      ),
    );
    const el = await mount({ lang: 'ru' });
    await fillCard(el);
    await submit(el);
    await until(() => input(el, 'card.holderName').getAttribute('aria-invalid') === 'true');
    expect(el.shadowRoot?.getElementById('f-card-holderName-error')?.textContent).to.equal('Неверный формат.');
    expect(q(el, '[part~="base"]')?.textContent).not.to.contain('Too big');
  });

  it('a field error for a field the form does not show is not a silent "fix the highlighted fields"', async () => {
    server.on('POST', /\/pay$/, () => json({ error: 'validation', message: 'x', fields: { body: ['nope'] } }, 422));
    const el = await mount();
    await fillCard(el);
    await submit(el);
    await until(() => statusText(el).startsWith('Something went wrong. Please try again.'));
  });

  it('validates a field when the payer leaves it, with specific messages; "12/2029" is understood', async () => {
    const el = await mount();
    await type(el, 'card.pan', '4242 42');
    input(el, 'card.pan').dispatchEvent(new FocusEvent('blur'));
    await el.updateComplete;
    expect(el.shadowRoot?.getElementById('f-card-pan-error')?.textContent).to.equal('The card number is incomplete.');
    await type(el, 'card.expirationDate', '13/30');
    input(el, 'card.expirationDate').dispatchEvent(new FocusEvent('blur'));
    await el.updateComplete;
    expect(el.shadowRoot?.getElementById('f-card-expirationDate-error')?.textContent).to.equal(
      'The month must be 01–12.',
    );
    await type(el, 'card.expirationDate', '12/2029', 'insertFromPaste');
    expect(input(el, 'card.expirationDate').value).to.equal('12/29');
  });

  it('a click on Pay is not lost when leaving a field shows its error (the error waits for the click)', async () => {
    const el = await mount();
    await type(el, 'email', 'ada@');
    // A real pointer: the press blurs the e-mail field; its error must not push Pay from under the release.
    const at = (target: Element, dy: number): [number, number] => {
      const r = target.getBoundingClientRect();
      return [Math.round(r.left + r.width / 2), Math.round(r.top + dy)];
    };
    input(el, 'email').scrollIntoView({ block: 'start' });
    await sendMouse({ type: 'click', position: at(input(el, 'email'), 8) });
    const pay = q(el, '[part~="submit-button"]') as HTMLElement;
    // The form is taller than the test page's viewport: Pay is brought into view (scrolling does not blur).
    pay.scrollIntoView({ block: 'center' });
    await sendMouse({ type: 'click', position: at(pay, 3) }); // near its top edge
    await resetMouse();
    // The click reached Pay: every field was checked, not only the e-mail.
    await until(() => el.shadowRoot?.getElementById('f-card-pan-error'), 'Pay was not pressed');
    expect(el.shadowRoot?.getElementById('f-email-error')?.textContent).to.not.equal('');
  });

  it('keeps the inputs read-only while a payment is in flight', async () => {
    server.on('POST', /\/pay$/, () => new Promise<Response>(() => {}));
    const el = await mount();
    await fillCard(el);
    await submit(el);
    expect(input(el, 'card.pan').readOnly).to.equal(true);
    expect(q<HTMLFieldSetElement>(el, 'fieldset')?.disabled).to.equal(true);
  });

  it('sends the name on the card as the payer name (asked once)', async () => {
    server.on('POST', /\/pay$/, paid({ type: 'done', status: 'success' }));
    const el = await mount();
    await fillCard(el);
    await type(el, 'card.holderName', 'Grace Hopper');
    await submit(el);
    await until(() => statusText(el).includes('Payment received'));
    const body = server.calls('POST', /\/pay$/)[0]?.body;
    expect(body.payer.name).to.equal('Grace Hopper');
    expect(body.card.holderName).to.equal('Grace Hopper');
  });
});

describe('next steps', () => {
  it('post: builds a top-level form with the 3-D Secure fields and submits it', async () => {
    server.on(
      'POST',
      /\/pay$/,
      paid({
        type: 'post',
        url: 'https://acs.example/challenge',
        fields: { PaReq: 'p', MD: 'm', TermUrl: 'https://shop/back' },
      }),
    );
    const submitted: HTMLFormElement[] = [];
    const original = HTMLFormElement.prototype.submit;
    HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
      submitted.push(this);
    };
    try {
      const el = await mount();
      await fillCard(el);
      const redirect = oneEvent(el, 'paydo-redirect');
      await submit(el);
      expect((await redirect).detail).to.deep.equal({
        url: 'https://acs.example/challenge',
        method: 'POST',
        fields: { PaReq: 'p', MD: 'm', TermUrl: 'https://shop/back' },
      });
      await until(() => submitted.length === 1);
      const form = submitted[0] as HTMLFormElement;
      expect(form.method).to.equal('post');
      expect(form.action).to.equal('https://acs.example/challenge');
      expect(form.parentElement).to.equal(document.body);
      expect(Object.fromEntries(new FormData(form))).to.deep.equal({
        PaReq: 'p',
        MD: 'm',
        TermUrl: 'https://shop/back',
      });
      expect(JSON.stringify(Object.fromEntries(new FormData(form)))).not.to.contain('4242');
      form.remove();
      expect(statusText(el)).to.equal('Taking you to confirm the payment…');
    } finally {
      HTMLFormElement.prototype.submit = original;
    }
  });

  it('redirect: fires a cancelable paydo-redirect with the GET url', async () => {
    server.on('POST', /\/pay$/, paid({ type: 'redirect', url: 'https://wallet.example/approve' }));
    const el = await mount({ methods: '200002' });
    await type(el, 'nationalid', '1234567890');
    el.addEventListener('paydo-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paydo-redirect');
    await submit(el);
    expect((await redirect).detail).to.deep.equal({ url: 'https://wallet.example/approve', method: 'GET', fields: {} });
  });

  it('wait: polls next with backoff until done', async () => {
    server.on('POST', /\/pay$/, paid({ type: 'wait', afterMs: 10 })).on(
      'GET',
      /\/transactions\/tx-1\/next$/,
      () => json({ txid: 'tx-1', next: { type: 'wait', afterMs: 10 } }),
      () => json({ txid: 'tx-1', next: { type: 'wait', afterMs: 10 } }),
      () => json({ txid: 'tx-1', next: { type: 'done', status: 'success' } }),
    );
    const el = await mount();
    await fillCard(el, '4000000000000119');
    await submit(el);
    await until(() => statusText(el).includes('Waiting'));
    expect(live(el)).to.equal('Waiting for the payment to be confirmed…');
    await until(() => statusText(el).includes('Payment received'));
    expect(server.calls('GET', /\/next$/)).to.have.length(3);
  });

  it('moved in the DOM while a poll is in flight: one polling loop, the stale answer is dropped', async () => {
    const releases: ((answer: Response) => void)[] = [];
    const held = () => new Promise<Response>((resolve) => releases.push(resolve));
    server.on('POST', /\/pay$/, paid({ type: 'wait', afterMs: 10 })).on('GET', /\/transactions\/tx-1\/next$/, held);
    const el = await mount();
    await fillCard(el, '4000000000000119');
    await submit(el);
    await until(() => releases.length === 1); // the first poll is waiting for its answer
    const parent = el.parentElement as HTMLElement;
    el.remove();
    parent.append(el); // a keyed list reorder does this
    await until(() => releases.length === 2); // the new loop's first poll
    releases[0]?.(json({ txid: 'tx-1', next: { type: 'done', status: 'fail', message: 'stale' } }));
    releases[1]?.(json({ txid: 'tx-1', next: { type: 'wait', afterMs: 10_000 } }));
    await new Promise((r) => setTimeout(r, 50));
    expect(statusText(el)).to.include('Waiting');
    expect(server.calls('GET', /\/next$/)).to.have.length(2);
  });

  it('wait: gives up with a clear message after the bound', async () => {
    server
      .on('POST', /\/pay$/, paid({ type: 'wait', afterMs: 20 }))
      .on('GET', /\/next$/, () => json({ txid: 'tx-1', next: { type: 'wait', afterMs: 20 } }));
    const el = await mount({ maxWaitMs: 150 });
    await fillCard(el);
    const error = oneEvent(el, 'paydo-error');
    await submit(el);
    expect((await error).detail.code).to.equal('confirmation_timeout');
    await el.updateComplete;
    expect(statusText(el)).to.contain('We could not confirm the payment yet');
  });

  it('wait: pauses while the tab is hidden and resumes when it shows', async () => {
    server
      .on('POST', /\/pay$/, paid({ type: 'wait', afterMs: 10 }))
      .on('GET', /\/next$/, () => json({ txid: 'tx-1', next: { type: 'done', status: 'success' } }));
    let hidden = true;
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    });
    try {
      const el = await mount();
      await fillCard(el);
      await submit(el);
      await new Promise((r) => setTimeout(r, 100));
      expect(server.calls('GET', /\/next$/)).to.have.length(0);
      hidden = false;
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => statusText(el).includes('Payment received'));
    } finally {
      delete (document as unknown as { visibilityState?: string }).visibilityState;
    }
  });

  it('wait: keeps polling when the element is moved in the page', async () => {
    server
      .on('POST', /\/pay$/, paid({ type: 'wait', afterMs: 50 }))
      .on('GET', /\/next$/, () => json({ txid: 'tx-1', next: { type: 'done', status: 'success' } }));
    const el = await mount();
    await fillCard(el);
    await submit(el);
    await until(() => statusText(el).includes('Waiting'));
    const box = document.createElement('div');
    document.body.append(box);
    box.append(el); // disconnect + connect
    await until(() => statusText(el).includes('Payment received'));
    box.remove();
  });

  it("hosted after Pay (e.g. the Paydo account method): goes to Paydo's page in one click", async () => {
    const url = 'https://checkout.paydo.com/en/payment/invoice-preprocessing/inv-1';
    server.on('POST', /\/pay$/, () => json({ invoiceId: 'inv-1', txid: null, next: { type: 'hosted', url } }));
    const el = await mount({ methods: '200002' });
    await type(el, 'nationalid', '1234567890');
    const redirect = oneEvent(el, 'paydo-redirect');
    el.addEventListener('paydo-redirect', (e) => e.preventDefault());
    await submit(el);
    expect((await redirect).detail).to.deep.equal({ url, method: 'GET', fields: {} });
  });

  it("hosted on return: offers Paydo's page", async () => {
    const url = 'https://checkout.paydo.com/en/payment/invoice-preprocessing/inv-1';
    server.on('GET', /\/checkout\/r1$/, () => json(checkout({ status: 'pending', txid: 'tx-5' })));
    server.on('GET', /\/next$/, () => json({ txid: 'tx-5', next: { type: 'hosted', url } }));
    const el = await mount();
    await until(() => q(el, '[part~="link-button"]'));
    expect(q<HTMLAnchorElement>(el, '[part~="link-button"]')?.href).to.equal(url);
  });
});

describe('hosted card mode (the merchant has no direct card tokenization)', () => {
  it('renders no card field, says where the card is entered, sends no card, and goes to Paydo in one click', async () => {
    server.on('GET', /^\/paydo\/checkout\/r1$/, () => json(checkout({ cardMode: 'hosted' })));
    const url = 'https://checkout.paydo.com/en/payment/invoice-preprocessing/inv-9';
    server.on('POST', /\/pay$/, () => json({ invoiceId: 'inv-9', txid: null, next: { type: 'hosted', url } }));
    const el = await mount();
    expect(qa<HTMLInputElement>(el, 'input[part~="input"]').map((i) => i.name)).to.deep.equal(['email', 'name']);
    expect(q(el, '[part~="card-form"]')).to.equal(null);
    expect(q(el, '[part~="submit-button"]')?.textContent?.trim()).to.equal("Pay €12.50 on Paydo's card page");
    el.addEventListener('paydo-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paydo-redirect');
    await submit(el);
    expect((await redirect).detail).to.deep.equal({ url, method: 'GET', fields: {} });
    const body = server.calls('POST', /\/pay$/)[0]?.body as Record<string, unknown>;
    expect(body.card).to.equal(undefined);
    expect(body.payer).to.deep.include({ email: 'ada@example.com', name: 'Ada Lovelace' });
  });

  it('direct mode that the server switches to hosted mid-payment: the payer goes on to Paydo’s card page', async () => {
    const url = 'https://checkout.paydo.com/en/payment/invoice-preprocessing/inv-10';
    server.on('POST', /\/pay$/, () => json({ invoiceId: 'inv-10', txid: null, next: { type: 'hosted', url } }));
    const el = await mount();
    await fillCard(el, '4242424242424242');
    el.addEventListener('paydo-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paydo-redirect');
    await submit(el);
    expect((await redirect).detail.url).to.equal(url);
  });
});

describe('the manual fallback', () => {
  it('"pay on the Paydo page instead" asks the server for the hosted page and goes there', async () => {
    server.on('POST', /\/hosted$/, () =>
      json({
        invoiceId: 'inv-7',
        txid: null,
        next: { type: 'hosted', url: 'https://checkout.paydo.com/en/payment/invoice-preprocessing/inv-7' },
      }),
    );
    const el = await mount();
    el.addEventListener('paydo-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paydo-redirect');
    q<HTMLButtonElement>(el, '[part~="fallback-button"]')?.click();
    expect((await redirect).detail).to.deep.equal({
      url: 'https://checkout.paydo.com/en/payment/invoice-preprocessing/inv-7',
      method: 'GET',
      fields: {},
    });
    expect(server.calls('POST', /\/hosted$/)[0]?.body).to.deep.equal({
      payer: { email: 'ada@example.com' },
      language: 'en',
    });
  });

  it('needs the e-mail first', async () => {
    const el = await mount();
    await type(el, 'email', '');
    q<HTMLButtonElement>(el, '[part~="fallback-button"]')?.click();
    await el.updateComplete;
    expect(input(el, 'email').getAttribute('aria-invalid')).to.equal('true');
    expect(server.calls('POST', /\/hosted$/)).to.have.length(0);
  });
});

describe('resume', () => {
  it('resumes waiting from ?paydo_txid= and removes it from the URL', async () => {
    server.on('GET', /\/transactions\/tx-9\/next$/, () =>
      json({ txid: 'tx-9', next: { type: 'done', status: 'success' } }),
    );
    const before = location.href;
    history.replaceState(null, '', `${location.pathname}?keep=1&paydo_txid=tx-9`);
    try {
      const el = await mount();
      await until(() => statusText(el).includes('Payment received'));
      expect(new URL(location.href).searchParams.get('paydo_txid')).to.equal(null);
      expect(new URL(location.href).searchParams.get('keep')).to.equal('1');
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('offers to continue a 3-D Secure step that is still open when the payer comes back', async () => {
    server.on('GET', /\/checkout\/r1$/, () => json(checkout({ status: 'pending', txid: 'tx-5' })));
    server.on('GET', /\/transactions\/tx-5\/next$/, () =>
      json({ txid: 'tx-5', next: { type: 'post', url: 'https://acs.example/x', fields: {} } }),
    );
    const el = await mount();
    await until(() => statusText(el).includes('needs one more confirmation'));
    el.addEventListener('paydo-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paydo-redirect');
    q<HTMLButtonElement>(el, '[part~="retry-button"]')?.click();
    expect((await redirect).detail.url).to.equal('https://acs.example/x');
  });

  it('Back from 3-D Secure: "Use another card or method" returns to the form', async () => {
    server.on('GET', /\/checkout\/r1$/, () => json(checkout({ status: 'pending', txid: 'tx-5' })));
    server.on('GET', /\/transactions\/tx-5\/next$/, () =>
      json({ txid: 'tx-5', next: { type: 'post', url: 'https://acs.example/x', fields: {} } }),
    );
    const el = await mount();
    await until(() => statusText(el).includes('needs one more confirmation'));
    const another = qa<HTMLButtonElement>(el, '[part~="retry-button"]')[1];
    expect(another?.textContent).to.equal('Use another card or method');
    another?.click();
    await el.updateComplete;
    expect(q(el, FORM)).to.exist;
    expect(input(el, 'card.pan').value).to.equal('');
    // The next Pay names the abandoned transaction, so the server can void it instead of waiting for it.
    server.on('POST', /\/pay$/, paid({ type: 'done', status: 'success' }));
    await type(el, 'email', 'grace@example.com');
    await fillCard(el);
    await type(el, 'card.holderName', 'Grace Hopper');
    await submit(el);
    await until(() => server.calls('POST', /\/pay$/).length === 1);
    const [payCall] = server.calls('POST', /\/pay$/);
    expect((payCall?.body as { replacePending?: string } | undefined)?.replacePending).to.equal('tx-5');
  });

  it('the e-mail and name typed before 3-D Secure are there on return; card data is not kept', async () => {
    server.on('POST', /\/pay$/, paid({ type: 'post', url: 'https://acs.example/x', fields: {} }));
    const el = await mount();
    await type(el, 'email', 'grace@example.com');
    await fillCard(el);
    await type(el, 'card.holderName', 'Grace Hopper');
    el.addEventListener('paydo-redirect', (e) => e.preventDefault(), { once: true });
    await submit(el);
    await until(() => sessionStorage.getItem('paydo:r1'));
    const kept = sessionStorage.getItem('paydo:r1') ?? '';
    expect(kept).not.to.match(/4242|123|12\/39/);
    el.remove();
    const back = await mount();
    expect(input(back, 'email').value).to.equal('grace@example.com');
    expect(input(back, 'card.holderName').value).to.equal('Grace Hopper');
    expect(input(back, 'card.pan').value).to.equal('');
    sessionStorage.clear();
  });

  it('shows an already paid order as paid', async () => {
    server.on('GET', /\/checkout\/r1$/, () => json(checkout({ status: 'paid', txid: 'tx-1' })));
    const success = new Promise<CustomEvent>((r) =>
      document.addEventListener('paydo-success', r as EventListener, { once: true }),
    );
    const el = await mount();
    expect(statusText(el)).to.equal('This order is already paid.');
    // The page is told, so it can move on (e.g. to the order page).
    expect((await success).detail).to.deep.equal({ txid: 'tx-1', invoiceId: null, alreadyPaid: true });
  });

  it('a new order attribute forgets the previous order', async () => {
    server.on('GET', /\/checkout\/r2$/, () => json({ error: 'order_not_found', message: 'x' }, 404));
    const el = await mount();
    el.order = 'r2';
    await until(() => statusText(el) === 'This order was not found.');
    expect(q(el, '[part~="header"]')).to.equal(null);
  });
});

describe("a declined payment: its code's sentence in the payer's language", () => {
  const cases: [string, string, string][] = [
    ['en', 'card_declined', 'The card was declined.'],
    ['en', 'insufficient_funds', 'The card has insufficient funds.'],
    ['en', 'three_d_secure_failed', 'The bank did not confirm the payment.'],
    ['en', 'payment_declined', 'The payment did not go through.'],
    ['ru', 'card_declined', 'Карта отклонена.'],
    ['ru', 'insufficient_funds', 'На карте недостаточно средств.'],
    ['ru', 'three_d_secure_failed', 'Банк не подтвердил платёж.'],
    ['ru', 'fraud_suspected', 'Платёж не прошёл.'],
    ['ru', 'payment_declined', 'Платёж не прошёл.'],
  ];
  for (const [lang, code, sentence] of cases) {
    it(`${lang}: ${code} → “${sentence}”, and paydo-fail carries the code`, async () => {
      // The server's `message` is English and Paydo's own words never come: the widget shows its own sentence.
      server.on('POST', /\/pay$/, paid({ type: 'done', status: 'fail', code, message: 'The English sentence' }));
      const el = await mount({ lang });
      await fillCard(el);
      const fail = oneEvent(el, 'paydo-fail');
      await submit(el);
      expect((await fail).detail).to.deep.equal({ txid: 'tx-1', code, message: sentence });
      await el.updateComplete;
      expect(el.shadowRoot?.getElementById('f-card-pan-error')?.textContent).to.equal(sentence);
      expect(live(el)).to.equal(sentence);
      expect(q(el, '[part~="base"]')?.textContent).not.to.contain('English sentence');
    });
  }

  it('a decline after 3-D Secure (the payer is back, polling) says it the same way', async () => {
    server.on('GET', /\/next$/, () =>
      json({ txid: 'tx-3', next: { type: 'done', status: 'fail', code: 'three_d_secure_failed', message: 'x' } }),
    );
    history.replaceState(null, '', `${location.pathname}?paydo_txid=tx-3`);
    const fail = oneEvent(document, 'paydo-fail');
    await mount({ lang: 'ru' });
    expect((await fail).detail).to.deep.equal({
      txid: 'tx-3',
      code: 'three_d_secure_failed',
      message: 'Банк не подтвердил платёж.',
    });
  });
});

describe('errors a person understands', () => {
  const cases: [string, () => Response | 'offline', string, string][] = [
    ['offline', () => 'offline', 'offline', 'You seem to be offline. Check your connection.'],
    [
      'rate limited',
      () => json({ error: 'rate_limited', message: 'x', retryable: true }, 429, { 'retry-after': '20' }),
      'rate_limited',
      'Too many attempts. Please wait 20 seconds and try again.',
    ],
    [
      'Paydo unavailable',
      () => json({ error: 'paydo_unavailable', message: 'x', retryable: true }, 503),
      'paydo_unavailable',
      'The payment service is not answering. Please try again.',
    ],
    [
      "Paydo refusing the merchant's setup",
      () => json({ error: 'paydo_authentication_failed', message: 'x' }, 502),
      'paydo_authentication_failed',
      'The payment service is not answering. Please try again.',
    ],
    [
      'rejected (Paydo’s words never reach the payer)',
      () => json({ error: 'payment_rejected', message: 'Invalid amount, less than allowed minumum' }, 422),
      'payment_rejected',
      'The payment did not go through.',
    ],
    [
      'a code this widget does not know',
      () => json({ error: 'brand_new_code', message: 'x' }, 500),
      'brand_new_code',
      'Something went wrong. Please try again.',
    ],
  ];
  for (const [label, answer, code, message] of cases) {
    it(`${label}: says so, with a way to try again`, async () => {
      server.on('POST', /\/pay$/, answer);
      const el = await mount();
      await fillCard(el);
      const error = oneEvent(el, 'paydo-error');
      await submit(el);
      expect((await error).detail).to.deep.equal({ code, message });
      await el.updateComplete;
      expect(statusText(el)).to.contain(message);
      expect(q(el, '[part~="retry-button"]')).to.exist;
    });
  }

  it('already paid: shows the order as paid', async () => {
    server.on('POST', /\/pay$/, () => json({ error: 'already_paid', message: 'x', txid: 'tx-0' }, 409));
    const el = await mount();
    await fillCard(el);
    const success = oneEvent(el, 'paydo-success');
    await submit(el);
    await until(() => statusText(el) === 'This order is already paid.');
    expect((await success).detail).to.deep.equal({ txid: 'tx-0', invoiceId: null, alreadyPaid: true });
  });

  it('order not found: says so, without a retry', async () => {
    server.on('GET', /\/checkout\/r1$/, () => json({ error: 'order_not_found', message: 'x' }, 404));
    const el = await mount();
    await until(() => statusText(el) === 'This order was not found.');
  });
});
