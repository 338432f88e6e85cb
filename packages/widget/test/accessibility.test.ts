import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { PaydoCheckout } from '../src/paydo-checkout/paydo-checkout.component.ts';
import { checkout, FakeServer, json } from './fake-server.ts';
import { fillCard, mount, q, qa, statusText, submit, type, until } from './helpers.ts';

let server: FakeServer;
beforeEach(() => {
  server = new FakeServer().on('GET', /^\/paydo\/checkout\/r1$/, () => json(checkout()));
});
let emulated = false;
afterEach(async () => {
  server.restore();
  if (emulated) await emulateMedia({ reducedMotion: 'no-preference', colorScheme: 'light' });
  emulated = false;
});

/**
 * Emulates a media feature, or skips the test where the engine's automation has no
 * way to (Firefox over WebDriver BiDi, WebKit over WebDriver: only Chromium's CDP can).
 */
async function emulate(ctx: Mocha.Context, media: Parameters<typeof emulateMedia>[0]): Promise<void> {
  try {
    await emulateMedia(media);
    emulated = true;
  } catch (error) {
    if (/not supported|CDP support is required/.test(String(error))) ctx.skip();
    throw error;
  }
}

const answer = (next: unknown) => () => json({ invoiceId: 'inv-1', txid: 'tx-1', next });
const never = () => new Promise<Response>(() => {});

/** Each view, reached through the element's own flow. */
const views: [string, (s: FakeServer) => void, (el: PaydoCheckout) => Promise<void>][] = [
  ['form', () => {}, async () => {}],
  [
    'form with errors',
    () => {},
    async (el) => {
      await type(el, 'email', 'x');
      await submit(el);
    },
  ],
  [
    'paying',
    (s) => s.on('POST', /\/pay$/, never),
    async (el) => {
      await fillCard(el);
      await submit(el);
    },
  ],
  [
    'waiting',
    (s) => s.on('POST', /\/pay$/, answer({ type: 'wait', afterMs: 60_000 })),
    async (el) => {
      await fillCard(el);
      await submit(el);
      await until(() => statusText(el).includes('Waiting'));
    },
  ],
  [
    'success',
    (s) => s.on('POST', /\/pay$/, answer({ type: 'done', status: 'success' })),
    async (el) => {
      await fillCard(el);
      await submit(el);
      await until(() => statusText(el).includes('Thank you'));
    },
  ],
  [
    'declined (inline)',
    (s) =>
      s.on(
        'POST',
        /\/pay$/,
        answer({
          type: 'done',
          status: 'fail',
          code: 'insufficient_funds',
          message: 'The card has insufficient funds.',
        }),
      ),
    async (el) => {
      await fillCard(el);
      await submit(el);
      await until(() => el.shadowRoot?.getElementById('f-card-pan-error')?.textContent?.includes('insufficient funds'));
    },
  ],
  [
    'error',
    (s) => s.on('POST', /\/pay$/, () => json({ error: 'paydo_unavailable', message: 'x', retryable: true }, 503)),
    async (el) => {
      await fillCard(el);
      await submit(el);
      await until(() => statusText(el).includes('not answering'));
    },
  ],
  [
    'hosted',
    (s) => {
      s.on('GET', /\/checkout\/r1$/, () => json(checkout({ status: 'pending', txid: 'tx-5' })));
      const url = 'https://checkout.paydo.com/en/payment/invoice-preprocessing/inv-1';
      s.on('GET', /\/next$/, () => json({ txid: 'tx-5', next: { type: 'hosted', url } }));
    },
    async (el) => {
      await until(() => q(el, '[part~="link-button"]'));
    },
  ],
  [
    'action',
    (s) => {
      s.on('GET', /\/checkout\/r1$/, () => json(checkout({ status: 'pending', txid: 'tx-5' })));
      s.on('GET', /\/next$/, () => json({ txid: 'tx-5', next: { type: 'redirect', url: 'https://wallet.example/' } }));
    },
    async (el) => {
      await until(() => statusText(el).includes('confirmation'));
    },
  ],
  [
    'gave up',
    (s) =>
      s
        .on('POST', /\/pay$/, answer({ type: 'wait', afterMs: 10 }))
        .on('GET', /\/next$/, () => json({ txid: 'tx-1', next: { type: 'wait', afterMs: 10 } })),
    async (el) => {
      el.maxWaitMs = 30;
      await fillCard(el);
      await submit(el);
      await until(() => statusText(el).includes('could not confirm'));
    },
  ],
];

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  it('loading view has no violations', async () => {
    server.on('GET', /\/checkout\/r1$/, never);
    const el = document.createElement('paydo-checkout');
    el.setAttribute('order', 'r1');
    document.body.append(el);
    await el.updateComplete;
    // The form's outline holds the space (inert, hidden from assistive technology); the live region says why.
    expect(q(el, '[part~="skeleton"]')?.hasAttribute('inert')).to.equal(true);
    expect(q(el, '[role="status"]')?.textContent).to.equal('Loading payment options…');
    await expect(el).to.be.accessible();
    el.remove();
  });

  for (const [name, setup, reach] of views) {
    it(`${name} view has no violations`, async () => {
      setup(server);
      const el = await mount();
      await reach(el);
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  }

  it('can be paid with the keyboard alone', async () => {
    server.on('POST', /\/pay$/, answer({ type: 'done', status: 'success' }));
    const el = await mount();
    const tab = () => sendKeys({ press: 'Tab' });
    await tab(); // the method radio group (one stop)
    expect(el.shadowRoot?.activeElement?.getAttribute('type')).to.equal('radio');
    await sendKeys({ press: 'ArrowDown' }); // bank transfer
    await sendKeys({ press: 'ArrowUp' }); // back to the card
    await el.updateComplete;
    await tab(); // e-mail (prefilled)
    await tab();
    expect(el.shadowRoot?.activeElement?.getAttribute('name')).to.equal('card.pan');
    await sendKeys({ type: '4242424242424242' });
    await tab();
    await sendKeys({ type: '1239' });
    await tab();
    await sendKeys({ type: '123' });
    await tab(); // name on card (prefilled from the order's payer name)
    await sendKeys({ press: 'Enter' });
    await until(() => statusText(el).includes('Thank you'));
    expect(server.calls('POST', /\/pay$/)[0]?.body.card).to.deep.equal({
      pan: '4242424242424242',
      expirationDate: '12/39',
      cvv: '123',
      holderName: 'Ada Lovelace',
    });
    // Focus moved to the result, which is announced.
    expect(el.shadowRoot?.activeElement?.textContent).to.equal('Payment received. Thank you!');
  });

  it('has targets of at least 24 × 24 px and a visible focus ring', async () => {
    const el = await mount();
    for (const target of qa(el, 'input, button, [part~="method"]')) {
      const box = target.getBoundingClientRect();
      expect(box.height, target.outerHTML).to.be.at.least(24);
      expect(box.width, target.outerHTML).to.be.at.least(24);
    }
    const button = q(el, '[part~="submit-button"]') as HTMLElement;
    await sendKeys({ press: 'Tab' });
    const focused = el.shadowRoot?.activeElement as HTMLElement;
    expect(getComputedStyle(focused).outlineStyle).to.equal('solid');
    expect(button).to.exist;
  });

  it('respects prefers-reduced-motion', async function () {
    server.on('POST', /\/pay$/, never);
    await emulate(this, { reducedMotion: 'reduce' });
    const el = await mount();
    await fillCard(el);
    await submit(el); // paying: the spinner in the button
    expect(getComputedStyle(q(el, '.spinner') as Element).animationName).to.equal('none');
  });

  it('follows prefers-color-scheme: dark', async function () {
    const el = await mount();
    const light = getComputedStyle(q(el, '[part~="base"]') as Element).backgroundColor;
    await emulate(this, { colorScheme: 'dark' });
    expect(getComputedStyle(q(el, '[part~="base"]') as Element).backgroundColor).to.equal('rgb(24, 24, 27)');
    expect(light).to.equal('rgb(255, 255, 255)');
    await expect(el).to.be.accessible();
  });

  it('theme="dark" is dark and theme="light" is light, whatever the OS; both pass axe', async () => {
    const el = await mount();
    const bg = () => getComputedStyle(q(el, '[part~="base"]') as Element).backgroundColor;
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(bg()).to.equal('rgb(24, 24, 27)');
    await type(el, 'email', 'x');
    await submit(el);
    await expect(el).to.be.accessible();
    el.setAttribute('theme', 'light');
    await el.updateComplete;
    expect(bg()).to.equal('rgb(255, 255, 255)');
    await expect(el).to.be.accessible();
  });

  it('theme="light" stays light on a dark OS', async function () {
    const el = await mount({ theme: 'light' });
    await emulate(this, { colorScheme: 'dark' });
    expect(getComputedStyle(q(el, '[part~="base"]') as Element).backgroundColor).to.equal('rgb(255, 255, 255)');
  });

  for (const [name, setup, reach] of views) {
    it(`${name} view has no violations in dark, Russian and right-to-left`, async () => {
      setup(server);
      // Dark through the theme attribute: the same colours as a dark OS, in every engine.
      const el = await mount({ theme: 'dark' });
      await reach(el);
      // The same view, re-rendered in Russian and laid out right to left.
      el.dir = 'rtl';
      el.lang = 'ru';
      // Russian is its own module: the view stays as it was until it arrives, then turns Russian.
      await until(() => /[а-я]/.test(q(el, '[part~="base"]')?.textContent ?? ''));
      await expect(el).to.be.accessible();
    });
  }
});
