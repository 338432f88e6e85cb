// Helpers of the store tests: a cookie jar and paying an order by card.

/** A browser's cookie jar for the tests: keeps cookies, and the CSRF token of the last page seen. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  token = '';
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep<T extends { headers: Record<string, unknown>; body: string }>(res: T): T {
    const set = res.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = String(line).split(';');
      const [name, ...value] = String(pair).split('=');
      if (value.join('=') === '') this.cookies.delete(name as string);
      else this.cookies.set(name as string, value.join('='));
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.token = token;
    return res;
  }
}

/**
 * Pays `ref` by test card through the store's own /paydo routes, as the widget does, and waits
 * until the emulator's IPNs are delivered. Answers the plugin's `next` step.
 */
export async function payByCard(
  app: { inject(options: object): Promise<{ json(): unknown }> },
  sandbox: { control: { ipnIdle(): Promise<void> } },
  ref: string,
): Promise<unknown> {
  const res = await app.inject({
    method: 'POST',
    url: `/paydo/checkout/${ref}/pay`,
    headers: { 'content-type': 'application/json', 'idempotency-key': `k-${ref}` },
    payload: JSON.stringify({
      method: 200001,
      payer: { email: 'ada@example.com', name: 'Ada' },
      card: { pan: '4242424242424242', expirationDate: '12/39', cvv: '123', holderName: 'Ada' },
    }),
  });
  const { next } = res.json() as { next: unknown };
  await sandbox.control.ipnIdle();
  return next;
}
