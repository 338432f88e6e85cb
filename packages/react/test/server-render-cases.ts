// The server-render cases, run against React 19 (the workspace's) and React 18 (test/react18).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PaydoCheckout, type PaydoCheckoutProps } from '../src/index.ts';

interface ReactLike {
  version: string;
  createElement(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): unknown;
  StrictMode: unknown;
}
interface ServerLike {
  renderToString(element: unknown): string;
  renderToPipeableStream(
    element: unknown,
    options: { onAllReady?: () => void; onShellError?: (error: unknown) => void; onError?: (error: unknown) => void },
  ): { pipe(stream: NodeJS.WritableStream): void };
}

export function serverRenderCases(React: ReactLike, server: ServerLike, major: string): void {
  const page = (props: PaydoCheckoutProps) =>
    React.createElement(
      React.StrictMode,
      null,
      React.createElement(
        'main',
        null,
        React.createElement(PaydoCheckout, props as unknown as Record<string, unknown>),
      ),
    );

  describe(`server render with React ${major}`, () => {
    it(`is React ${major}`, () => {
      expect(React.version.split('.')[0]).toBe(major);
    });

    it('imports with no window, document or customElements (a server render)', () => {
      expect(typeof window).toBe('undefined');
      expect(typeof document).toBe('undefined');
      expect(typeof customElements).toBe('undefined');
    });

    it('renderToString: the element with every attribute, no callback, no content', () => {
      const html = server.renderToString(
        page({
          order: 'A-1',
          api: '/shop/paydo',
          lang: 'ru',
          methods: '200001,200003',
          maxWaitMs: 30_000,
          theme: 'dark',
          id: 'pay',
          className: 'checkout',
          'data-test': 'x',
          'aria-label': 'Payment',
          onReady: () => {},
          onSuccess: () => {},
          onError: () => {},
          onSubmit: () => {},
        }),
      );
      const tag = /<paydo-checkout([^>]*)><\/paydo-checkout>/.exec(html);
      expect(tag, html).not.toBeNull();
      const attributes = Object.fromEntries(
        [...(tag?.[1] ?? '').matchAll(/\s([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      );
      expect(attributes).toEqual({
        order: 'A-1',
        api: '/shop/paydo',
        lang: 'ru',
        methods: '200001,200003',
        'max-wait-ms': '30000',
        theme: 'dark',
        id: 'pay',
        class: 'checkout',
        'data-test': 'x',
        'aria-label': 'Payment',
      });
      expect(html).not.toMatch(/on[A-Z]|onready|onsuccess|function/i);
    });

    it('leaves out the attributes not given', () => {
      expect(server.renderToString(page({ order: 'B-2' }))).toBe(
        '<main><paydo-checkout order="B-2"></paydo-checkout></main>',
      );
    });

    it('escapes attribute values', () => {
      expect(server.renderToString(page({ order: '"><script>alert(1)</script>' }))).toContain(
        'order="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"',
      );
    });

    it('renderToPipeableStream: the same element in the streamed HTML', async () => {
      const html = await new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const out = new PassThrough();
        out.on('data', (chunk: Buffer) => chunks.push(chunk));
        out.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        const stream = server.renderToPipeableStream(page({ order: 'C-3', lang: 'en' }), {
          onAllReady: () => stream.pipe(out),
          onShellError: reject,
          onError: reject,
        });
      });
      expect(html).toBe('<main><paydo-checkout order="C-3" lang="en"></paydo-checkout></main>');
    });
  });
}
