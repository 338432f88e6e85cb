import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDb } from '../src/db.ts';
import { buildStore, type RouteEntry } from '../src/server.ts';
import { CookieJar, payByCard } from './helpers.ts';

// The back office as an attacker tries it: every spelling a router might read as an admin route,
// generated from the store's own route table, without a session and with sessions of the wrong
// kind. None may list an order or get a refund to the emulator. Then the sessions themselves:
// rotated at sign-in, deleted at sign-out, ended by another ADMIN_PASSWORD and by idling.

const PASSWORD = 'correct horse battery';
const COOKIE_SECRET = 'a-test-cookie-secret-of-32-characters!!';
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path sent exactly as written (fetch would normalize it first). */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Cookies as a browser keeps them, and the CSRF token of the last page seen. */
class Visitor extends CookieJar {
  readonly base: string;
  constructor(base: string) {
    super();
    this.base = base;
  }
  async get(path: string) {
    return this.keep(await raw(this.base, 'GET', path, { cookie: this.header() }));
  }
  async post(path: string, form: Record<string, string>) {
    const body = new URLSearchParams({ ...form, _csrf: this.token }).toString();
    return this.keep(
      await raw(
        this.base,
        'POST',
        path,
        { 'content-type': 'application/x-www-form-urlencoded', cookie: this.header() },
        body,
      ),
    );
  }
  async signIn(password = PASSWORD) {
    await this.get('/admin/login');
    const res = await this.post('/admin/login', { password });
    return res.headers.location === '/admin/orders';
  }
}

/**
 * Every way of writing `path` that some router, proxy or framework reads as the same route:
 * encoded letters (either hex case), double encoding, doubled slashes, dot segments (plain and
 * encoded), trailing slash and dot, encoded slashes and backslashes, letter case and matrix
 * parameters. `fixed` marks the segments that are literal in the route (the others are ids).
 */
export function spellings(segments: string[], fixed: boolean[]): string[] {
  const out = new Set<string>();
  const join = (parts: string[], sep = '/') => `/${parts.join(sep)}`;
  const hex = (c: string) => c.charCodeAt(0).toString(16);
  const each = (edit: (seg: string, i: number) => string[]) => {
    segments.forEach((seg, i) => {
      if (!fixed[i]) return;
      for (const spelled of edit(seg, i)) out.add(join(segments.map((s, j) => (j === i ? spelled : s))));
    });
  };
  out.add(join(segments));
  each((seg) => [
    `%${hex(seg[0] as string)}${seg.slice(1)}`,
    `%${hex(seg[0] as string).toUpperCase()}${seg.slice(1)}`,
    `${seg.slice(0, -1)}%${hex(seg.at(-1) as string)}`,
    [...seg].map((c) => `%${hex(c)}`).join(''),
    `%25${hex(seg[0] as string)}${seg.slice(1)}`,
    `%2525${hex(seg[0] as string)}${seg.slice(1)}`,
    seg.toUpperCase(),
    `${(seg[0] as string).toUpperCase()}${seg.slice(1)}`,
    `${seg};x=1`,
    `${seg};jsessionid=0`,
    `${seg}%3Bx=1`,
    `${seg}%00`,
    `${seg}%zz`,
    `${seg}%`,
    `${seg}%20`,
    `${seg}.`,
  ]);
  for (let i = 0; i <= segments.length; i++) {
    const before = segments.slice(0, i);
    const after = segments.slice(i);
    for (const insert of ['', '.', '%2e', '%2E', 'x/..', 'x/%2e%2e', 'x/%2E%2E', '..', '%2e%2e'])
      out.add(join([...before, insert, ...after].filter((s, j, a) => s !== '' || j < a.length - 1 || i === 0)));
  }
  out.add(`/${join(segments)}`);
  out.add(`${join(segments)}/`);
  out.add(`${join(segments)}//`);
  out.add(`${join(segments)}/.`);
  out.add(`${join(segments)}/%2e`);
  out.add(`${join(segments)}?`);
  out.add(`${join(segments)}#`);
  out.add(`${join(segments)}%23`);
  out.add(`${join(segments)}%3f`);
  for (const sep of ['//', '%2F', '%2f', '%252F', '%5C', '\\', '/./', '/%2e/'])
    for (let i = 1; i < segments.length; i++)
      out.add(`/${segments.slice(0, i).join('/')}${sep}${segments.slice(i).join('/')}`);
  out.add(`/%2F${segments.join('/')}`);
  out.add(`/%2f${segments.join('/')}`);
  return [...out].filter((p) => !p.includes('#') || p.endsWith('#'));
}

let sandbox: Sandbox;
let dataDir: string;
let store: { app: FastifyInstance; db: StoreDb; url: string; routes: RouteEntry[] };
let clock = Date.now();
const SESSION_TIMES = { idleMs: 60_000, maxAgeMs: 3_600_000, now: () => clock };

async function startStore(password = PASSWORD) {
  store = await buildStore({
    adminPassword: password,
    cookieSecret: COOKIE_SECRET,
    dataDir,
    listen: { port: 0, host: '127.0.0.1' },
    paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    sandboxOrigin: sandbox.url,
    sessionTimes: SESSION_TIMES,
  });
  sandbox.control.configure({ ipnUrl: `${store.url}/paydo/ipn` });
}

/** An order paid at the emulator through the plugin's own routes (as the widget pays it). */
async function paidOrder(): Promise<{ ref: string; number: number }> {
  const order = await store.db.createOrder(
    [{ productId: 'mug', name: 'Enamel mug', price: '12.50', quantity: 1 }],
    '12.50',
    'EUR',
  );
  expect(await payByCard(store.app, sandbox, order.ref)).toEqual({ type: 'done', status: 'success' });
  await expect.poll(async () => (await store.db.findOrder(order.ref))?.status, { timeout: 10_000 }).toBe('paid');
  return order;
}

beforeAll(async () => {
  sandbox = await createSandbox({ pendingMs: 100, refundAcceptMs: 20 });
  dataDir = mkdtempSync(join(tmpdir(), 'paydo-store-admin-'));
  await startStore();
});
afterAll(async () => {
  await sandbox?.close();
  await store?.app.close();
  agent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('no spelling of an admin path reaches the back office without a session', () => {
  it('every admin route and method of the route table, in every spelling, without a session and with sessions of the wrong kind: no order listed, no refund', async () => {
    const order = await paidOrder();
    const admin = store.routes.filter((r) => r.url.startsWith('/admin') && r.url !== '/admin/login');
    // The table is what the test walks: if the back office grows a route, the test covers it.
    expect(admin.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /admin/orders',
      'HEAD /admin/orders',
      'POST /admin/logout',
      'POST /admin/orders/:ref/refund',
      'POST /admin/orders/:ref/refund/confirm',
    ]);

    // The attacker has what any visitor has: a CSRF cookie and token from the shop's pages, a cart.
    const visitor = new Visitor(store.url);
    await visitor.get('/');
    await visitor.post('/cart/add', { productId: 'mug' });
    // A signed-out session (its id was real once), and what the old signed-expiry cookie looked like.
    const former = new Visitor(store.url);
    expect(await former.signIn()).toBe(true);
    const endedId = former.cookies.get('store_admin') as string;
    await former.post('/admin/logout', {});
    const wrongKinds: Record<string, string | undefined> = {
      none: undefined,
      'signed expiry (the old cookie)': store.app.signCookie(String(Date.now() + 3_600_000)),
      'the CSRF secret cookie': visitor.cookies.get('_csrf'),
      'the cart cookie': visitor.cookies.get('cart'),
      'a signed-out session': endedId,
      'a made-up id': 'A'.repeat(43),
    };
    for (const [kind, value] of Object.entries(wrongKinds)) if (kind !== 'none') expect(value, kind).toBeTruthy();

    let tried = 0;
    for (const route of admin) {
      const segments = route.url.slice(1).split('/');
      const fixed = segments.map((s) => !s.startsWith(':'));
      const filled = segments.map((s) => (s.startsWith(':') ? order.ref : s));
      for (const path of spellings(filled, fixed)) {
        for (const [kind, session] of Object.entries(wrongKinds)) {
          const cookie = [visitor.header(), session ? `store_admin=${session}` : ''].filter(Boolean).join('; ');
          const body = new URLSearchParams({ _csrf: visitor.token, kind: 'full', amount: '' }).toString();
          const res = await raw(
            store.url,
            route.method,
            path,
            route.method === 'POST' ? { cookie, 'content-type': 'application/x-www-form-urlencoded' } : { cookie },
            route.method === 'POST' ? body : undefined,
          ).catch((error: Error): Answer => ({ status: 0, headers: {}, body: error.message }));
          tried++;
          const where = `${route.method} ${path} (${kind}) → ${res.status}`;
          expect(res.body, where).not.toContain(order.ref);
          expect(res.body, where).not.toContain('data-order');
          expect(res.body, where).not.toMatch(/Confirm refund/);
          // Browsers open these paths: never JSON.
          expect(String(res.headers['content-type'] ?? 'text/html'), where).not.toMatch(/json/);
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
    expect(sandbox.control.snapshot().refunds).toEqual([]);
    expect(await store.db.refunds(order.ref)).toEqual([]);

    // The same requests with a session do list and refund: the checks above could see a leak.
    const merchant = new Visitor(store.url);
    expect(await merchant.signIn()).toBe(true);
    expect((await merchant.get('/admin/orders')).body).toContain(order.ref);
    await merchant.post(`/admin/orders/${order.ref}/refund`, { kind: 'full' });
    const done = await merchant.post(`/admin/orders/${order.ref}/refund/confirm`, { kind: 'full', amount: '12.50' });
    expect(done.headers.location).toBe('/admin/orders?ok=refund_requested');
    expect(sandbox.control.snapshot().refunds).toHaveLength(1);
  }, 120_000);
});

describe('back-office sessions live in the database', () => {
  it('the cookie is a random id, HttpOnly and SameSite=Strict; the table keeps only its hash', async () => {
    const v = new Visitor(store.url);
    await v.get('/admin/login');
    const res = await v.post('/admin/login', { password: PASSWORD });
    const line = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('store_admin=')) as string;
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Strict/i);
    expect(line).toMatch(/Path=\/admin/);
    const id = v.cookies.get('store_admin') as string;
    expect(id).toMatch(/^[\w-]{43}$/);
    expect(await store.db.findSession(id)).toBeNull();
  });

  it('sign-in rotates the id: a planted or earlier id is not the session', async () => {
    const v = new Visitor(store.url);
    v.cookies.set('store_admin', 'P'.repeat(43)); // planted by an attacker
    expect(await v.signIn()).toBe(true);
    const first = v.cookies.get('store_admin') as string;
    expect(first).not.toBe('P'.repeat(43));
    expect(await v.signIn()).toBe(true);
    const second = v.cookies.get('store_admin') as string;
    expect(second).not.toBe(first);
    const copy = new Visitor(store.url);
    copy.cookies.set('store_admin', first);
    expect((await copy.get('/admin/orders')).headers.location).toBe('/admin/login');
  });

  it('a copy of the cookie fails after sign-out', async () => {
    const v = new Visitor(store.url);
    expect(await v.signIn()).toBe(true);
    const copy = new Visitor(store.url);
    copy.cookies.set('store_admin', v.cookies.get('store_admin') as string);
    expect((await copy.get('/admin/orders')).status).toBe(200);
    await v.get('/admin/orders');
    const out = await v.post('/admin/logout', {});
    expect(out.headers.location).toBe('/admin/login?ok=signed_out');
    const after = await copy.get('/admin/orders');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/admin/login');
  });

  it('a session unused past the idle time ends; one in use stays', async () => {
    const v = new Visitor(store.url);
    expect(await v.signIn()).toBe(true);
    clock += 50_000;
    expect((await v.get('/admin/orders')).status).toBe(200);
    clock += 50_000; // 100 s after sign-in, 50 s after the last request
    expect((await v.get('/admin/orders')).status).toBe(200);
    clock += 61_000;
    expect((await v.get('/admin/orders')).headers.location).toBe('/admin/login');
  });

  it('a restart keeps sessions; a restart with another ADMIN_PASSWORD ends every one', async () => {
    const v = new Visitor(store.url);
    expect(await v.signIn()).toBe(true);
    const id = v.cookies.get('store_admin') as string;
    const check = async () => {
      const copy = new Visitor(store.url);
      copy.cookies.set('store_admin', id);
      return (await copy.get('/admin/orders')).status;
    };
    await store.app.close();
    await startStore();
    expect(await check()).toBe(200);
    await store.app.close();
    await startStore('another password, changed');
    expect(await check()).toBe(303);
    // And the old password back does not bring it back: the session was deleted.
    await store.app.close();
    await startStore();
    expect(await check()).toBe(303);
  });
});
