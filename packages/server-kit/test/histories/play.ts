/**
 * Plays one generated history against the emulator and two plugin instances,
 * lets it settle (IPNs delivered or given up, pending cards answered by the
 * bank, one reconciliation sweep), then checks the invariants.
 */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '@paydo-checkout/sandbox';
import type { PaydoOrder, PaydoStore } from '../../src/fastify/index.ts';
import { ADAPTERS, type AdapterName } from '../adapters/harness.ts';
import { CARDS, type CardName, describeStep, type History, type Step } from './generator.ts';
import { checkInvariants, type Violation } from './invariants.ts';
import { IPN_RETRIES_MS, LEASE_MS, World } from './world.ts';

const CARD_METHOD = 200001;
const ACCEPTED = 2;
const PENDING = 4;

export interface PlayResult {
  violations: Violation[];
  /** The steps as played, with what each did, and every IPN's fate. */
  narration: string[];
  /** Warnings and errors the instances logged. */
  logs: string[];
  /** Per transaction, what its IPN deliveries and polls got from the instances. */
  heard: Map<string, string[]>;
  /** Label (t1, t2, …) of a txid in this history. */
  tag: (txid: string) => string;
  /** False when the plugin has no `paydoCheckout.reconcile()` yet (the sweep was skipped). */
  reconciled: boolean;
}

interface Attempt {
  order: number;
  key: string;
  body: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely and printed
type Json = any;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function playHistory(
  sandbox: Sandbox,
  openStore: () => PaydoStore,
  history: History,
  options: { reconcile?: boolean } = {},
): Promise<PlayResult> {
  const nonce = randomBytes(3).toString('hex');
  const orders = new Map<string, PaydoOrder>();
  const refs: string[] = [];
  for (let i = 0; i < history.orders; i++) {
    const ref = `h${history.seed}-o${i}-${nonce}`;
    refs.push(ref);
    orders.set(ref, {
      id: `order-${history.seed}-${i}-${nonce}`,
      amount: i === 0 ? '12.50' : '7.25',
      currency: 'EUR',
      description: `History ${history.seed}, order ${i}`,
      payer: { email: 'ada@example.com', name: 'Ada Lovelace' },
    });
  }
  // An order nobody pays: crafted links name it, and it must stay untouched.
  const bystander = `h${history.seed}-bystander-${nonce}`;
  orders.set(bystander, { id: `order-${history.seed}-b-${nonce}`, amount: '3.00', currency: 'EUR' });

  sandbox.control.reset();
  const world = new World(sandbox, {
    seed: history.seed,
    cardMode: history.cardMode,
    refundDuplicateCharges: history.refundDuplicateCharges,
    weather: history.weather,
    openStore,
    orders,
    // A is the Fastify plugin; B is, by seed, the plugin, the Express router or the fetch handler.
    adapters: ['fastify', ADAPTERS[history.seed % ADAPTERS.length] as AdapterName],
  });
  await world.router.listen();
  sandbox.control.configure({
    ipnUrl: world.router.url,
    ipnSchedule: IPN_RETRIES_MS,
    // Paydo itself repeats deliveries on purpose in the chaotic weather (beside the router's repeats).
    ipnDuplicates: history.weather === 'chaotic' ? 1 : 0,
    pendingMs: 60_000,
    cardTokenization: history.tokenization,
  });
  const say = (line: string) => world.narration.push(line);
  say(`instances: A fastify, B ${world.options.adapters?.[1]}`);
  const tag = (txid: string | null | undefined) => (txid ? world.tag(txid) : '-');
  const attempts: Attempt[] = [];
  const pages: { invoiceId: string; order: number }[] = [];
  let crashed = false;
  const reconciled = options.reconcile !== false;

  const snapshot = () => sandbox.control.snapshot();
  const orderOfInvoice = (invoiceId: string) => {
    const id = snapshot().invoices.find((i) => i.identifier === invoiceId)?.orderIdentifier;
    return [...orders].find(([, o]) => o.id === id)?.[0] ?? null;
  };
  /** Pending transactions (optionally one order's), by card: 3-D Secure waits for its page, 0119 for the bank. */
  const pending = (lastDigits: string | null, orderRef?: string) => {
    const s = snapshot();
    const invoiceOrder = new Map(s.invoices.map((i) => [i.identifier, i.orderIdentifier]));
    const orderId = orderRef ? orders.get(orderRef)?.id : undefined;
    return s.transactions
      .filter(
        (t) =>
          t.state === PENDING &&
          (lastDigits === null ||
            (Array.isArray(t.cardMetadata) ? '' : (t.cardMetadata as { lastDigits: string }).lastDigits) ===
              lastDigits) &&
          (orderId === undefined || invoiceOrder.get(t.invoiceIdentifier) === orderId),
      )
      .map((t) => t.identifier);
  };
  const describeAnswer = (status: number, body: Json) => {
    if (status !== 200) return `${status} ${body?.error ?? JSON.stringify(body).slice(0, 80)}`;
    const next = body.next;
    return `200 ${tag(body.txid)} ${next?.type}${next?.status ? ` ${next.status}` : ''}${next?.code ? ` ${next.code}` : ''}`;
  };
  const noteAnswer = (order: number, status: number, body: Json) => {
    // Only a final answer tells the instance the result (a replayed answer may be older than Paydo).
    if (status === 200 && typeof body?.txid === 'string') {
      world.hear(body.txid, body.next?.type === 'done' ? 'pay 200' : `pay ${body.next?.type}`);
    }
    if (status === 200 && body?.next?.type === 'hosted' && body.invoiceId) {
      pages.push({ invoiceId: body.invoiceId, order });
      return `${describeAnswer(status, body)} → page #${pages.length - 1}`;
    }
    return describeAnswer(status, body);
  };
  const inject = async (
    slot: number,
    request: { method: 'GET' | 'POST'; url: string; key?: string; body?: unknown },
  ) => {
    const instance = world.slots[slot];
    if (!instance) return { status: 0, body: { error: 'instance down' } as Json };
    const res = await instance.request({
      method: request.method,
      url: request.url,
      headers: {
        ...(request.body !== undefined && { 'content-type': 'application/json' }),
        ...(request.key && { 'idempotency-key': request.key }),
      },
      ...(request.body !== undefined && { payload: JSON.stringify(request.body) }),
    });
    let body: Json = null;
    try {
      body = JSON.parse(res.text);
    } catch {}
    return { status: res.status, body };
  };
  const payBody = (card: CardName, replacePending?: string) => ({
    method: CARD_METHOD,
    payer: { email: 'ada@example.com', name: 'Ada Lovelace' },
    card: { pan: CARDS[card], expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' },
    ...(replacePending && { replacePending }),
  });
  const newAttempt = (order: number, body: unknown): Attempt => {
    const attempt = { order, key: `h${history.seed}-k${attempts.length}-${nonce}`, body };
    attempts.push(attempt);
    return attempt;
  };
  const pay = (slot: number, attempt: Attempt) =>
    inject(slot, {
      method: 'POST',
      url: `/paydo/checkout/${refs[attempt.order]}/pay`,
      key: attempt.key,
      body: attempt.body,
    });

  const play = async (step: Step): Promise<string> => {
    const { control } = sandbox;
    switch (step.kind) {
      case 'pay': {
        const ref = refs[step.order]!;
        const replace = step.replacePending ? pending(null, ref).at(-1) : undefined;
        const attempt = newAttempt(step.order, payBody(step.card, replace));
        const res = await pay(step.slot, attempt);
        world.refresh();
        return `attempt #${attempts.length - 1}${replace ? ` replacing ${tag(replace)}` : ''}: ${noteAnswer(step.order, res.status, res.body)}`;
      }
      case 'retryPay': {
        if (!attempts.length) return 'no attempt to retry';
        const attempt = attempts[step.pick % attempts.length]!;
        const res = await pay(step.slot, attempt);
        world.refresh();
        return `attempt #${attempts.indexOf(attempt)}: ${noteAnswer(attempt.order, res.status, res.body)}`;
      }
      case 'hosted': {
        const res = await inject(step.slot, {
          method: 'POST',
          url: `/paydo/checkout/${refs[step.order]}/hosted`,
          body: { payer: { email: 'ada@example.com' } },
        });
        return noteAnswer(step.order, res.status, res.body);
      }
      case 'pagePay': {
        if (!pages.length) return 'no Paydo page open';
        const index = step.page % pages.length;
        const page = pages[index]!;
        const invoice = snapshot().invoices.find((i) => i.identifier === page.invoiceId);
        if (!invoice) return 'invoice gone';
        const before = invoice.transactionIdentifier;
        let res: Response;
        if (invoice.paymentMethod) {
          const pan = CARDS[step.cancel ? 'declined' : step.card];
          res = await fetch(`${sandbox.url}/_sandbox/hosted/${page.invoiceId}/card`, {
            method: 'POST',
            body: new URLSearchParams({ pan, expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' }),
            redirect: 'manual',
          });
        } else {
          res = await fetch(`${sandbox.url}/_sandbox/hosted/${page.invoiceId}/complete`, {
            method: 'POST',
            body: new URLSearchParams({ decision: step.cancel ? 'decline' : 'approve' }),
            redirect: 'manual',
          });
        }
        await res.arrayBuffer();
        world.refresh();
        const after = snapshot().invoices.find((i) => i.identifier === page.invoiceId)?.transactionIdentifier;
        const made = after && after !== before ? tag(after) : 'no transaction';
        const state = after ? snapshot().transactions.find((t) => t.identifier === after)?.state : null;
        return `page #${index} (${invoice.paymentMethod ? 'card page' : 'Paydo page'}): ${res.status}, ${made}${after && after !== before ? ` state ${state}` : ''}`;
      }
      case 'acs': {
        const open = pending(CARDS.threeDs.slice(-4));
        if (!open.length) return 'no 3-D Secure page open';
        const txid = open[step.pick % open.length]!;
        const res = await fetch(`${sandbox.url}/_sandbox/acs/${txid}/complete`, {
          method: 'POST',
          body: new URLSearchParams({ decision: step.approve ? 'approve' : 'decline' }),
          redirect: 'manual',
        });
        await res.arrayBuffer();
        return `${tag(txid)}: ${res.status}`;
      }
      case 'bank': {
        const open = pending(CARDS.pending.slice(-4));
        if (!open.length) return 'no pending card';
        const txid = open[step.pick % open.length]!;
        control.advance(txid, ACCEPTED);
        return `${tag(txid)} accepted`;
      }
      case 'poll': {
        world.refresh();
        if (!world.txids.length) return 'no transaction';
        const txid = world.txids[step.pick % world.txids.length]!;
        const invoiceId = snapshot().transactions.find((t) => t.identifier === txid)?.invoiceIdentifier;
        const ref = step.wrongOrder ? bystander : invoiceId ? orderOfInvoice(invoiceId) : null;
        if (!ref) return 'transaction of no order';
        const res = await inject(step.slot, {
          method: 'GET',
          url: `/paydo/transactions/${txid}/next?order=${encodeURIComponent(ref)}`,
        });
        if (!step.wrongOrder) world.hear(txid, `poll ${step.slot === 0 ? 'A' : 'B'} ${res.status}`);
        return `${tag(txid)}${step.wrongOrder ? ' (bystander order)' : ''}: ${describeAnswer(res.status, res.body)}`;
      }
      case 'forgeIpn': {
        world.refresh();
        if (!world.txids.length) return 'no transaction';
        const txid = world.txids[step.pick % world.txids.length]!;
        const s = snapshot();
        const tx = s.transactions.find((t) => t.identifier === txid);
        const own = s.invoices.find((i) => i.identifier === tx?.invoiceIdentifier);
        const other = s.invoices.find((i) => i.orderIdentifier !== own?.orderIdentifier);
        if (!tx || !own || !other) return 'no invoice of another order';
        // Everything in it agrees with itself: only Paydo's records say the transaction is not that invoice's.
        const body = {
          invoice: { id: other.identifier, txid, status: 1, metadata: {} },
          transaction: {
            id: txid,
            state: tx.state,
            order: { id: other.orderIdentifier },
            error: { message: '', code: '' },
          },
        };
        const instance = world.slots[step.slot]!;
        const res = await fetch(`${instance.url}/paydo/ipn`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        return `${tag(txid)} under order ${orderOfInvoice(other.identifier) ?? '?'}'s invoice: ${res.status}`;
      }
      case 'resendIpn': {
        world.refresh();
        if (!world.txids.length) return 'no transaction';
        const txid = world.txids[step.pick % world.txids.length]!;
        control.resendIpn(txid);
        return tag(txid);
      }
      case 'release':
        return `${world.router.release(step.reverse)} delivered`;
      case 'fault':
        control.addFault({
          endpoint: step.endpoint,
          kind: step.fault,
          ...(step.fault === 'error' && { value: 503 }),
          phase: step.phase,
          times: step.times,
        });
        return 'set';
      case 'clearFaults':
        control.clearFaults();
        return 'done';
      case 'restart':
        await world.stop(step.slot);
        await world.start(step.slot);
        return 'restarted';
      case 'crashMidPay': {
        const ref = refs[step.order]!;
        const orderId = orders.get(ref)!.id;
        const count = () => {
          const s = snapshot();
          const mine = new Set(s.invoices.filter((i) => i.orderIdentifier === orderId).map((i) => i.identifier));
          return s.transactions.filter((t) => mine.has(t.invoiceIdentifier)).length;
        };
        const before = count();
        // Paydo makes the transaction and takes a moment to answer: the instance stops in between.
        control.addFault({ endpoint: 'checkout.create', kind: 'latency', value: 40, phase: 'after', times: 1 });
        const attempt = newAttempt(step.order, payBody(step.card));
        let done = false;
        const paying = pay(step.slot, attempt).then(
          (r) => {
            done = true;
            return r;
          },
          (error: Error) => {
            done = true;
            return { status: -1, body: { error: error.message } as Json };
          },
        );
        // Waits on the emulator's state: a new transaction, or the attempt ended without one.
        while (!done && count() === before) await sleep(1);
        const stoppedMidway = !done;
        crashed ||= stoppedMidway;
        await world.stop(step.slot);
        const res = await paying;
        await world.start(step.slot);
        world.refresh();
        return `attempt #${attempts.length - 1}: ${stoppedMidway ? 'stopped mid-payment' : 'ended before the stop'}; ${noteAnswer(step.order, res.status, res.body)}`;
      }
      case 'reconcile': {
        const instance = world.slots[step.slot]!;
        try {
          return JSON.stringify(await instance.reconcile());
        } catch (error) {
          return `threw ${(error as Error).message}`;
        }
      }
    }
  };

  try {
    await world.start(0);
    await world.start(1);
    for (const [i, step] of history.steps.entries()) {
      const outcome = await play(step);
      say(`${String(i + 1).padStart(2)}. ${describeStep(step)} → ${outcome}`);
    }
    // Settling: Paydo's faults end, the bank answers every pending card, held IPNs go out, Paydo's
    // retries run out; then (the dead instance's leases over) one reconciliation sweep.
    say('-- settle --');
    world.router.settle();
    sandbox.control.clearFaults();
    for (const txid of pending(CARDS.pending.slice(-4))) {
      sandbox.control.advance(txid, ACCEPTED);
      say(`bank accepts ${tag(txid)}`);
    }
    do {
      world.router.release(false);
      await sandbox.control.ipnIdle();
    } while (world.router.release(false) > 0);
    await sandbox.control.ipnIdle();
    if (crashed) await sleep(LEASE_MS + 50);
    if (reconciled) {
      const instance = world.slots[0]!;
      try {
        // Settled means an interval has passed: every invoice still watched is due.
        say(`reconcile({all}) on A → ${JSON.stringify(await instance.reconcile({ all: true }))}`);
      } catch (error) {
        say(`reconcile() on A threw ${(error as Error).message}`);
      }
      await sandbox.control.ipnIdle();
    }
    world.refresh();
    const named = new Set(snapshot().invoices.map((i) => i.transactionIdentifier));
    const knowable = (txid: string) => world.heard.has(txid) || named.has(txid);
    for (const t of snapshot().transactions) {
      if (t.state === 2 && !knowable(t.identifier))
        say(`out of reach: ${tag(t.identifier)} accepted, named by no IPN, pay, poll or invoice`);
    }
    const violations = checkInvariants(sandbox, orders, world.updates, {
      refundDuplicateCharges: history.refundDuplicateCharges,
      tag: (txid) => world.tag(txid),
      knowable,
    });
    for (const { by, update } of world.updates) {
      say(`update by ${by}: ${tag(update.txid)} ${update.status} (state ${update.state}, ${update.source})`);
    }
    for (const r of snapshot().refunds) say(`refund of ${tag(r.sourceTransaction.identifier)}: ${r.amount}`);
    return {
      violations,
      narration: world.narration,
      logs: world.logs,
      reconciled,
      heard: world.heard,
      tag: (t) => world.tag(t),
    };
  } finally {
    await world.close();
    sandbox.control.configure({ ipnUrl: null });
    sandbox.control.reset();
  }
}
