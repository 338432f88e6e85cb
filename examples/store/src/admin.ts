// The shop's back office: login, the orders page and refunds. It can move money,
// so it needs a password, a server-side session (sessions.ts), CSRF tokens
// (registered in server.ts for every form) and a confirmation step before a refund.
import { createHash, timingSafeEqual } from 'node:crypto';
import { PaydoError } from '@paydo-checkout/server-kit';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formatMoney, fromCents, toCents } from './catalog.ts';
import type { Order, StoreDb } from './db.ts';
import { type Html, html, layout } from './html.ts';
import { AdminSessions, type SessionTimes } from './sessions.ts';

export const SESSION_COOKIE = 'store_admin';
/** Wrong passwords allowed per client address in a window, before sign-in is refused for the rest of it. */
const MAX_FAILED_LOGINS = 10;
const FAILED_LOGIN_WINDOW_MS = 15 * 60 * 1000;

export const STATUS_LABEL: Record<Order['status'], string> = {
  awaiting_payment: 'Awaiting payment',
  paid: 'Paid',
  payment_failed: 'Payment failed',
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
};
const REFUND_STATUS: Record<string, string> = { '1': 'processing', '2': 'refunded' };
const REFUND_LABEL: Record<string, string> = {
  requesting: 'being requested',
  processing: 'processing at Paydo',
  refunded: 'refunded',
};
const IPN_OUTCOME: Record<string, string> = {
  applied: 'Applied',
  duplicate: 'Repeat (already applied)',
  ignored: 'Not final yet',
  rejected: 'Rejected',
  failed: 'Failed, Paydo will retry',
};
/** A refund's statuses in Paydo's refund lookup. */
const REFUND_STATE_LABEL: Record<number, string> = { 1: 'waiting for acceptance', 2: 'accepted' };
const ipnState = (kind: 'payment' | 'refund', state: number) =>
  kind === 'refund'
    ? `refund ${REFUND_STATE_LABEL[state] ?? `status ${state}`}`
    : `payment ${STATE_LABEL[state] ?? `state ${state}`}`;
const STATE_LABEL: Record<number, string> = {
  1: 'new',
  2: 'accepted',
  3: 'failed',
  4: 'pending',
  5: 'failed',
  9: 'pre-approved',
  15: 'timed out',
};

/** The only texts `?ok=` and `?error=` can put on the page: a link cannot make the shop say anything else. */
export const NOTICES = {
  refund_requested: 'The refund was requested from Paydo. Its status updates below.',
  not_refundable: 'Only a paid order can be refunded.',
  bad_amount: 'Enter the amount to refund, e.g. 5.00 or 5,00.',
  too_much: 'That is more than can still be refunded for this order (see "refundable").',
  refund_failed: 'Paydo did not accept the refund. Nothing was refunded; the reason is in the server log.',
  wrong_password: 'That password is not right.',
  too_many_tries: 'Too many wrong passwords from this address. Wait 15 minutes, then try again.',
  signed_out: 'You are signed out.',
} as const;
type NoticeCode = keyof typeof NOTICES;
const isNotice = (code: unknown): code is NoticeCode => typeof code === 'string' && Object.hasOwn(NOTICES, code);

export interface AdminOptions {
  db: StoreDb;
  /** The back office's password (from ADMIN_PASSWORD, or generated and printed for the sandbox). */
  password: string;
  /** Cookies are marked Secure when the shop is served over https. */
  secureCookies: boolean;
  /** Idle and absolute session lifetimes (tests compress them). */
  sessionTimes?: SessionTimes | undefined;
}

/** "5", "5.0", "5.00" and, where the decimal separator is a comma, "5,00". */
export function parseRefundAmount(text: string): string | null {
  const normalized = text.trim().replace(',', '.');
  return /^\d{1,9}(\.\d{1,2})?$/.test(normalized) && toCents(normalized) > 0 ? normalized : null;
}

function samePassword(given: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The back office, registered with `prefix: '/admin'`. Only the sign-in form is outside the
 * guarded scope; every other route is inside a child plugin whose onRequest hook requires a
 * session. The hook belongs to the matched route, so however a path is spelled, a request
 * reaches an admin handler only through it.
 */
export const adminPlugin: FastifyPluginAsync<AdminOptions> = async (app, options) => {
  const { db } = options;
  const sessions = new AdminSessions(db, options.password, options.sessionTimes);
  const cookieOptions = {
    path: '/admin',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: options.secureCookies,
  };
  const page = (reply: FastifyReply, title: string, body: Html, code = 200) =>
    reply
      .code(code)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout(title, body, { wide: true }));
  const back = (reply: FastifyReply, key: 'ok' | 'error', code: NoticeCode) =>
    reply.redirect(`/admin/orders?${key}=${code}`, 303);
  const csrfField = (reply: FastifyReply) => html`<input type="hidden" name="_csrf" value="${reply.generateCsrf()}">`;
  const sessionId = (request: FastifyRequest) => request.cookies[SESSION_COOKIE];

  app.get<{ Querystring: { error?: string; ok?: string } }>('/login', async (request, reply) => {
    if (await sessions.check(sessionId(request))) return reply.redirect('/admin/orders', 303);
    const error = isNotice(request.query.error) ? NOTICES[request.query.error] : null;
    const ok = isNotice(request.query.ok) ? NOTICES[request.query.ok] : null;
    return page(
      reply,
      'Sign in',
      html`<section class="card narrow">
      <h1>Store admin</h1>
      <p class="muted">Sign in to see the orders and refund payments.</p>
      ${error ? html`<p class="notice error" role="alert">${error}</p>` : ''}
      ${ok ? html`<p class="notice success" role="status">${ok}</p>` : ''}
      <form class="login" method="post" action="/admin/login">
        ${csrfField(reply)}
        <p><label>Password <input type="password" name="password" autocomplete="current-password" required></label></p>
        <p><button class="block" type="submit">Sign in</button></p>
      </form></section>`,
    );
  });

  // Guessing the password is slowed to ten tries per address per 15 minutes.
  const failures = new Map<string, { count: number; resetAt: number }>();
  app.post<{ Body: { password?: string } }>('/login', async (request, reply) => {
    const now = Date.now();
    const failed = failures.get(request.ip);
    if (failed && failed.resetAt <= now) failures.delete(request.ip);
    if ((failures.get(request.ip)?.count ?? 0) >= MAX_FAILED_LOGINS) {
      return reply.redirect('/admin/login?error=too_many_tries', 303);
    }
    if (!samePassword(String(request.body?.password ?? ''), options.password)) {
      request.log.warn({ ip: request.ip }, 'store: a wrong back-office password');
      if (failures.size > 10_000) failures.clear(); // bounded memory under a spray of addresses
      const entry = failures.get(request.ip) ?? { count: 0, resetAt: now + FAILED_LOGIN_WINDOW_MS };
      entry.count += 1;
      failures.set(request.ip, entry);
      return reply.redirect('/admin/login?error=wrong_password', 303);
    }
    failures.delete(request.ip);
    // A new id at every sign-in: an id planted before sign-in (session fixation) never becomes a session.
    const id = await sessions.start(sessionId(request));
    return reply
      .setCookie(SESSION_COOKIE, id, { ...cookieOptions, maxAge: sessions.maxAgeSeconds })
      .redirect('/admin/orders', 303);
  });

  await app.register(async (guarded) => {
    guarded.addHook('onRequest', async (request, reply) => {
      if (await sessions.check(sessionId(request))) return;
      reply.header('cache-control', 'no-store');
      if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect('/admin/login', 303);
      return page(
        reply,
        'Sign in first',
        html`<section class="card narrow"><h1>Sign in first</h1><p>This needs a back-office session.</p><p><a class="button" href="/admin/login">Sign in</a></p></section>`,
        403,
      );
    });
    await guardedRoutes(guarded, { db, page, back, csrfField, sessions, sessionId, cookieOptions });
  });
};

interface GuardedHelpers {
  db: StoreDb;
  page: (reply: FastifyReply, title: string, body: Html, code?: number) => FastifyReply;
  back: (reply: FastifyReply, key: 'ok' | 'error', code: NoticeCode) => FastifyReply;
  csrfField: (reply: FastifyReply) => Html;
  sessions: AdminSessions;
  sessionId: (request: FastifyRequest) => string | undefined;
  cookieOptions: { path: string; httpOnly: boolean; sameSite: 'strict'; secure: boolean };
}

/** Routes that only run behind the session hook of `adminPlugin`. */
async function guardedRoutes(app: FastifyInstance, helpers: GuardedHelpers): Promise<void> {
  const { db, page, back, csrfField, sessions, sessionId, cookieOptions } = helpers;

  app.post('/logout', async (request, reply) => {
    await sessions.end(sessionId(request));
    return reply.clearCookie(SESSION_COOKIE, { path: cookieOptions.path }).redirect('/admin/login?ok=signed_out', 303);
  });

  app.get<{ Querystring: { error?: string; ok?: string } }>('/orders', async (request, reply) => {
    const orders = await db.listOrders();
    await refreshRefunds(app, db, orders);
    const error = isNotice(request.query.error) ? NOTICES[request.query.error] : null;
    const ok = isNotice(request.query.ok) ? NOTICES[request.query.ok] : null;
    const csrf = csrfField(reply);
    return page(
      reply,
      'Orders',
      html`<div class="admin-head"><h1>Orders</h1>
        <form method="post" action="/admin/logout">${csrf}<button class="secondary" type="submit">Sign out</button></form></div>
      ${error ? html`<p class="notice error" role="alert">${error}</p>` : ''}
      ${ok ? html`<p class="notice success" role="status">${ok}</p>` : ''}
      <div class="table-scroll"><table class="orders"><thead><tr><th>Order</th><th>Amount</th><th>Status</th><th>Paydo</th><th>IPN history</th><th>Refunds</th></tr></thead><tbody>
      ${await Promise.all(orders.map((o) => adminRow(o, db, csrf)))}
      </tbody></table></div>`,
    );
  });

  /** Step 1 of a refund: check it, then ask for confirmation (nothing is sent to Paydo yet). */
  app.post<{ Params: { ref: string }; Body: { kind?: string; amount?: string } }>(
    '/orders/:ref/refund',
    async (request, reply) => {
      const checked = await checkRefund(db, request.params.ref, request.body?.kind, request.body?.amount);
      if ('error' in checked) return back(reply, 'error', checked.error);
      const { order, amount, kind, remaining } = checked;
      return page(
        reply,
        'Confirm refund',
        html`<section class="card narrow">
        <h1>Refund order #${order.number}?</h1>
        <dl class="facts">
          <dt>Refund</dt><dd><strong>${formatMoney(amount, order.currency)}</strong> (${kind === 'full' ? 'everything still refundable' : 'part'})</dd>
          <dt>Order total</dt><dd>${formatMoney(order.amount, order.currency)}</dd>
          <dt>Refundable now</dt><dd>${formatMoney(fromCents(remaining), order.currency)}</dd>
          <dt>Paid with</dt><dd>${paymentLine(order)}</dd>
        </dl>
        <p>The money goes back to the payer's card or account. This cannot be undone.</p>
        <form method="post" action="/admin/orders/${order.ref}/refund/confirm" class="confirm">
          ${csrfField(reply)}
          <input type="hidden" name="kind" value="${kind}"><input type="hidden" name="amount" value="${amount}">
          <button class="danger" type="submit">Confirm refund of ${formatMoney(amount, order.currency)}</button>
          <a class="button secondary" href="/admin/orders">Cancel</a>
        </form></section>`,
      );
    },
  );

  /** Step 2: reserve the amount (one refund per order at a time, in the database), then ask Paydo. */
  app.post<{ Params: { ref: string }; Body: { kind?: string; amount?: string } }>(
    '/orders/:ref/refund/confirm',
    async (request, reply) => {
      const checked = await checkRefund(db, request.params.ref, request.body?.kind, request.body?.amount);
      if ('error' in checked) return back(reply, 'error', checked.error);
      const { order, amount, kind } = checked;
      const reservation = await db.reserveRefund(order.ref, order.txid as string, amount, kind, toCents(order.amount));
      if (!reservation) return back(reply, 'error', 'too_much');
      try {
        const { refundId } = await app.paydo.refunds.create({
          transactionIdentifier: order.txid as string,
          refundType: kind === 'full' ? 1 : 2,
          amount,
          metadata: { order: `ORD-${order.number}` },
        });
        await db.confirmRefund(reservation, refundId, toCents(order.amount));
        return back(reply, 'ok', 'refund_requested');
      } catch (error) {
        await db.cancelRefund(reservation);
        request.log.warn(
          { err: error, order: order.ref, reason: error instanceof PaydoError ? error.message : undefined },
          'store: refund failed',
        );
        return back(reply, 'error', 'refund_failed');
      }
    },
  );
}

type CheckedRefund =
  | { error: NoticeCode }
  | { order: Order; amount: string; kind: 'full' | 'partial'; remaining: number };

async function checkRefund(db: StoreDb, ref: string, kindField: unknown, amountField: unknown): Promise<CheckedRefund> {
  const order = await db.findOrder(ref);
  if (!order?.txid || (order.status !== 'paid' && order.status !== 'partially_refunded')) {
    return { error: 'not_refundable' };
  }
  const remaining = toCents(order.amount) - (await db.refundedCents(order.ref));
  const kind = kindField === 'partial' ? 'partial' : 'full';
  if (kind === 'full' && remaining <= 0) return { error: 'not_refundable' };
  const amount = kind === 'full' ? fromCents(remaining) : parseRefundAmount(String(amountField ?? ''));
  if (!amount) return { error: 'bad_amount' };
  if (toCents(amount) > remaining) return { error: 'too_much' };
  return { order, amount, kind, remaining };
}

async function adminRow(o: Order, db: StoreDb, csrf: Html): Promise<Html> {
  const [ipns, refunds, refunded, events] = await Promise.all([
    db.ipnLog(o.ref),
    db.refunds(o.ref),
    db.refundedCents(o.ref),
    db.paymentEvents(o.ref),
  ]);
  // The trace the order's latest result was applied in (OTEL_EXPORTER): search it in your tracing backend.
  const traceId = events.findLast((e) => e.traceId)?.traceId;
  const refundable = o.status === 'paid' || o.status === 'partially_refunded';
  const remaining = toCents(o.amount) - refunded;
  return html`<tr data-order="${o.ref}">
    <td data-label="Order"><a href="/orders/${o.ref}">#${o.number}</a><br><span class="muted">${o.createdAt.slice(0, 19).replace('T', ' ')}</span></td>
    <td data-label="Amount">${formatMoney(o.amount, o.currency)}</td>
    <td data-label="Status"><span class="badge ${o.status}" data-status="${o.status}">${STATUS_LABEL[o.status]}</span></td>
    <td data-label="Paydo">${o.invoiceId ? html`<span class="id">invoice <code>${o.invoiceId}</code></span><br>` : ''}${o.txid ? html`<span class="id">tx <code>${o.txid}</code></span>` : html`<span class="muted">—</span>`}${o.payment.method ? html`<br><span class="muted">${paymentLine(o)}</span>` : ''}${traceId ? html`<br><span class="id" data-trace-id="${traceId}">trace <code>${traceId}</code></span>` : ''}</td>
    <td data-label="IPN history">${
      ipns.length
        ? html`<ul class="ipn">${ipns.map(
            (i) =>
              html`<li data-outcome="${i.outcome}"><strong>${IPN_OUTCOME[i.outcome] ?? i.outcome}</strong> ${i.at.slice(11, 19)}${i.verifiedState != null ? ` · ${ipnState(i.kind, i.verifiedState)}` : ''}${i.reason ? html` — ${i.reason}` : ''}</li>`,
          )}</ul>`
        : html`<span class="muted">none</span>`
    }</td>
    <td data-label="Refunds">${refunds.map(
      (r) =>
        html`<div data-refund="${r.status}">${r.kind} ${formatMoney(r.amount, o.currency)} · ${REFUND_LABEL[r.status] ?? r.status}</div>`,
    )}
      ${
        refundable
          ? html`<form class="refund-form" method="post" action="/admin/orders/${o.ref}/refund">
          ${csrf}
          <label><input type="radio" name="kind" value="full" checked> full</label>
          <label><input type="radio" name="kind" value="partial"> partial</label>
          <label>Amount <input name="amount" inputmode="decimal" placeholder="5.00" aria-label="Refund amount for order ${o.number}"></label>
          <span class="muted">refundable ${formatMoney(fromCents(remaining), o.currency)}</span>
          <button class="secondary" type="submit">Refund</button></form>`
          : ''
      }</td>
  </tr>`;
}

/** "Visa •••• 4242 (Bank card)" or the method's name alone, for the receipt and the orders page. */
export function paymentLine(o: Order): string {
  const { method, cardBrand, cardLast4 } = o.payment;
  if (cardLast4) return `${brandName(cardBrand)} •••• ${cardLast4}${method ? ` (${method})` : ''}`;
  return method ?? 'Paydo';
}

const BRANDS: Record<string, string> = {
  VISA: 'Visa',
  MASTERCARD: 'Mastercard',
  MAESTRO: 'Maestro',
  MIR: 'Mir',
  AMEX: 'American Express',
  'AMERICAN EXPRESS': 'American Express',
  DISCOVER: 'Discover',
  JCB: 'JCB',
  UNIONPAY: 'UnionPay',
};
/** Paydo names card schemes in capitals ("VISA"); people read "Visa". */
const brandName = (brand: string | null) => (brand ? (BRANDS[brand.toUpperCase()] ?? brand) : 'Card');

/** Asks Paydo for refunds still processing (a handful per page view). */
async function refreshRefunds(app: FastifyInstance, db: StoreDb, orders: Order[]): Promise<void> {
  const pending = (await Promise.all(orders.map((o) => db.refunds(o.ref))))
    .flat()
    .filter((r) => r.status === 'processing');
  await Promise.all(
    pending.slice(0, 20).map(async (r) => {
      try {
        const refund = await app.paydo.refunds.retrieve(r.refundId, { signal: AbortSignal.timeout(3_000) });
        const status = REFUND_STATUS[String(refund?.status)];
        if (status && status !== r.status) await db.setRefundStatus(r.refundId, status);
      } catch {
        // Paydo unreachable: the status stays as it is and is asked again next time.
      }
    }),
  );
}
