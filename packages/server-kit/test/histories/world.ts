/**
 * The world a history plays in: the emulator (Paydo's truth), an IPN router
 * the test controls (drop, repeat, hold back, route to either instance), and
 * two instances sharing one store, each restartable on that store. Instance A
 * is the Fastify plugin; B is the plugin, the Express router or the fetch
 * handler (`adapters`), so the histories also run against a mix of adapters.
 * Only the public API is used: the adapters' options and routes, the stores'
 * exports, `reconcile()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { CheckoutLogger } from '../../src/checkout/logger.ts';
import type { paydoRouter } from '../../src/express/index.ts';
import { type PaydoOrder, type PaydoStore, type PaymentUpdate, paydo } from '../../src/fastify/index.ts';
import { PaydoClient } from '../../src/index.ts';
import { type AdapterName, serveAdapter } from '../adapters/harness.ts';
import { type CardMode, hashUnit, type Weather } from './generator.ts';

/** Retries of an undelivered IPN, compressed to milliseconds (Paydo's span 24 hours). */
export const IPN_RETRIES_MS = [2, 4, 8, 16];
/** Claims and order locks of a stopped instance run out this fast (others then take over). */
export const LEASE_MS = 1_000;

export interface LoggedUpdate {
  /** Which instance (A or B) and which of its lives (restarts) applied it. */
  by: string;
  update: PaymentUpdate;
}

export interface Instance {
  adapter: AdapterName;
  url: string;
  client: PaydoClient;
  life: number;
  /** One request to the instance's checkout routes (Fastify: inject; the others: HTTP on loopback). */
  request(request: {
    method: 'GET' | 'POST';
    url: string;
    headers: Record<string, string>;
    payload?: string;
  }): Promise<{ status: number; text: string }>;
  reconcile(options?: { all?: boolean }): Promise<ReconcileSummary>;
  close(): Promise<void>;
}

/** What `app.paydoCheckout.reconcile()` resolves to (the lead's part 3). */
export interface ReconcileSummary {
  checked: number;
  applied: number;
  duplicates: number;
  errors: number;
}

export interface WorldOptions {
  seed: number;
  cardMode: CardMode;
  refundDuplicateCharges: boolean;
  weather: Weather;
  /** Opens a store object on the history's shared place (the same object for MemoryStore). */
  openStore: () => PaydoStore;
  orders: Map<string, PaydoOrder>;
  /** Which adapter serves each instance (A, B). Default: the Fastify plugin for both. */
  adapters?: readonly [AdapterName, AdapterName];
}

type Held = { body: string; txid: string; respond: (status: number) => void };

/**
 * Between the emulator and the instances. Each delivery's fate is a function
 * of (seed, transaction label, how many times that transaction's IPN arrived),
 * so a history replays the same whatever the timing.
 */
export class IpnRouter {
  server: Server;
  url = '';
  readonly #arrivals = new Map<string, number>();
  readonly #held: Held[] = [];
  #settling = false;

  readonly world: World;
  readonly seed: number;
  readonly weather: Weather;

  constructor(world: World, seed: number, weather: Weather) {
    this.world = world;
    this.seed = seed;
    this.weather = weather;
    this.server = createServer((req, res) => void this.#handle(req, res));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/ipn`;
  }

  /** From now on nothing is held back (the history is settling). */
  settle(): void {
    this.#settling = true;
  }

  /** Delivers what was held back, oldest or newest first. */
  release(reverse: boolean): number {
    const held = this.#held.splice(0);
    if (reverse) held.reverse();
    for (const h of held) void this.#forward(h.body, h.txid, 'released').then(h.respond);
    return held.length;
  }

  close(): Promise<void> {
    this.release(false);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  #fate(txid: string, n: number): 'A' | 'B' | 'both' | 'lose' | 'hold' {
    const label = this.world.label(txid);
    const u = hashUnit(this.seed, label, n, 'fate');
    const slot = hashUnit(this.seed, label, n, 'slot') < 0.5 ? 'A' : 'B';
    switch (this.weather) {
      case 'reliable':
        return slot;
      case 'all-lost':
        return 'lose';
      case 'lossy':
        return u < 0.6 ? 'lose' : slot;
      case 'chaotic':
        return u < 0.25 ? 'lose' : u < 0.45 ? 'both' : u < 0.65 ? 'hold' : slot;
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let txid = '?';
    try {
      const parsed = JSON.parse(body) as { transaction?: { id?: string }; sourceTransaction?: { id?: string } };
      txid = parsed.sourceTransaction?.id ?? parsed.transaction?.id ?? '?';
    } catch {}
    const n = (this.#arrivals.get(txid) ?? 0) + 1;
    this.#arrivals.set(txid, n);
    let fate = this.#fate(txid, n);
    if (fate === 'hold' && this.#settling) fate = hashUnit(this.seed, this.world.label(txid), n, 'h') < 0.5 ? 'A' : 'B';
    const respond = (status: number) => {
      res.statusCode = status;
      res.end();
    };
    const tag = `IPN ${this.world.tag(txid)} #${n}`;
    if (fate === 'lose') {
      this.world.narration.push(`${tag}: lost`);
      return respond(503);
    }
    if (fate === 'hold') {
      this.world.narration.push(`${tag}: held back`);
      this.#held.push({ body, txid, respond });
      return;
    }
    if (fate === 'both') {
      const [a, b] = await Promise.all([this.#send(0, body, txid), this.#send(1, body, txid)]);
      this.world.narration.push(`${tag}: delivered to A (${a}) and B (${b}) at once`);
      return respond(a === 200 || b === 200 ? 200 : 503);
    }
    const status = await this.#send(fate === 'A' ? 0 : 1, body, txid);
    this.world.narration.push(`${tag}: delivered to ${fate} (${status})`);
    respond(status);
  }

  async #forward(body: string, txid: string, why: string): Promise<number> {
    const slot = hashUnit(this.seed, this.world.label(txid), why) < 0.5 ? 0 : 1;
    const status = await this.#send(slot, body, txid);
    this.world.narration.push(`IPN ${this.world.tag(txid)}: ${why} to ${slot === 0 ? 'A' : 'B'} (${status})`);
    return status;
  }

  async #send(slot: number, body: string, txid: string): Promise<number> {
    const status = await this.#post(slot, body);
    if (status !== 502) this.world.hear(txid, `ipn ${slot === 0 ? 'A' : 'B'} ${status}`);
    return status;
  }

  async #post(slot: number, body: string): Promise<number> {
    const instance = this.world.slots[slot];
    if (!instance) return 502; // that instance is down: Paydo retries
    try {
      const res = await fetch(`${instance.url}/paydo/ipn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 502;
    }
  }
}

export class World {
  readonly slots: (Instance | null)[] = [null, null];
  readonly updates: LoggedUpdate[] = [];
  readonly router: IpnRouter;
  /** Transactions in the order Paydo made them: their labels (t1, t2, …) in printed histories. */
  readonly txids: string[] = [];
  readonly #lives = [0, 0];
  /** Everything the instances logged at warn or above (printed with a failing history). */
  readonly logs: string[] = [];
  /** What each transaction's deliveries and polls got from the instances (`ipn A 422`, `poll B 200`). */
  readonly heard = new Map<string, string[]>();
  /** What happened, step by step and delivery by delivery (printed with a failing history). */
  readonly narration: string[] = [];

  readonly sandbox: Sandbox;
  readonly options: WorldOptions;

  constructor(sandbox: Sandbox, options: WorldOptions) {
    this.sandbox = sandbox;
    this.options = options;
    this.router = new IpnRouter(this, options.seed, options.weather);
  }

  /** Learns transactions Paydo made since the last look (labels follow Paydo's order). */
  refresh(): void {
    const known = new Set(this.txids);
    for (const tx of this.sandbox.control.snapshot().transactions) {
      if (!known.has(tx.identifier)) this.txids.push(tx.identifier);
    }
  }

  label(txid: string): number {
    let i = this.txids.indexOf(txid);
    if (i < 0) {
      this.refresh();
      i = this.txids.indexOf(txid);
    }
    return i + 1;
  }

  /** Notes what an instance answered about a transaction, and the state Paydo held then. */
  hear(txid: string, what: string): void {
    const list = this.heard.get(txid) ?? [];
    const state = this.sandbox.control.snapshot().transactions.find((t) => t.identifier === txid)?.state;
    list.push(`${what} @${state}`);
    this.heard.set(txid, list);
  }

  tag(txid: string): string {
    const n = this.label(txid);
    return n > 0 ? `t${n}` : txid;
  }

  async start(slot: number): Promise<Instance> {
    const { sandbox, options } = this;
    const life = ++this.#lives[slot]!;
    const by = `${slot === 0 ? 'A' : 'B'}${life}`;
    const client = new PaydoClient({
      ...sandbox.project,
      baseUrl: sandbox.apiUrl,
      retry: { minDelayMs: 1, maxDelayMs: 5 },
    });
    const checkout = {
      prefix: '/paydo',
      publicKey: sandbox.project.publicKey,
      secretKey: sandbox.project.secretKey,
      jwt: sandbox.project.jwt,
      client,
      store: options.openStore(),
      resolveOrder: async (ref: string) => options.orders.get(ref) ?? null,
      onPaymentUpdate: async (update: PaymentUpdate) => {
        this.updates.push({ by, update });
      },
      checkoutPageUrl: (ref: string) => `http://shop.test/checkout/${ref}`,
      pollIntervalMs: 5,
      statusCacheMs: 0,
      rateLimit: false as const,
      cardPayments: options.cardMode,
      refundDuplicateCharges: options.refundDuplicateCharges,
      claimLeaseMs: LEASE_MS,
      orderLockLeaseMs: LEASE_MS,
      // The automatic sweep stays off: the history calls reconcile() itself, deterministically.
      reconcileIntervalMs: 0,
    };
    const adapter = options.adapters?.[slot] ?? 'fastify';
    const instance =
      adapter === 'fastify'
        ? await this.#startFastify(by, checkout, client, life)
        : await this.#startOther(adapter, by, checkout, client, life);
    this.slots[slot] = instance;
    return instance;
  }

  async #startFastify(
    by: string,
    checkout: Parameters<typeof paydoRouter>[0],
    client: PaydoClient,
    life: number,
  ): Promise<Instance> {
    const app: FastifyInstance = Fastify({
      // A stopped instance drops its connections at once (the router's kept-alive ones too).
      forceCloseConnections: true,
      logger: {
        level: process.env.PAYDO_HISTORY_LOG ?? 'warn',
        stream: { write: (line: string) => this.logs.push(`${by}: ${line.trim()}`) },
      },
    });
    await app.register(paydo, checkout as Parameters<typeof paydo>[1]);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    return {
      adapter: 'fastify',
      url,
      client,
      life,
      request: async (request) => {
        const res = await app.inject(request);
        return { status: res.statusCode, text: res.body };
      },
      reconcile: (options) => app.paydoCheckout.reconcile(options),
      close: () => app.close(),
    };
  }

  /** The Express router or the fetch handler, on a node:http server that drops its connections when stopped. */
  async #startOther(
    adapter: 'express' | 'fetch',
    by: string,
    checkout: Parameters<typeof paydoRouter>[0],
    client: PaydoClient,
    life: number,
  ): Promise<Instance> {
    const levels = ['debug', 'info', 'warn', 'error'];
    const from = levels.indexOf(process.env.PAYDO_HISTORY_LOG ?? 'warn');
    const write = (level: string) => (object: object | string, message?: string) => {
      if (levels.indexOf(level) >= from) this.logs.push(`${by}: ${JSON.stringify({ level, msg: message, object })}`);
    };
    const logger: CheckoutLogger = {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
    };
    const served = await serveAdapter(adapter, { ...checkout, logger });
    const { url } = served;
    return {
      adapter,
      url,
      client,
      life,
      request: async (request) => {
        const res = await fetch(`${url}${request.url}`, {
          method: request.method,
          headers: request.headers,
          ...(request.payload !== undefined && { body: request.payload }),
        });
        return { status: res.status, text: await res.text() };
      },
      reconcile: (options) => served.reconcile(options),
      close: () => served.close(),
    };
  }

  async stop(slot: number): Promise<void> {
    const instance = this.slots[slot];
    if (!instance) return;
    this.slots[slot] = null;
    await instance.close();
    await instance.client.close();
  }

  async close(): Promise<void> {
    await this.router.close();
    await Promise.all([this.stop(0), this.stop(1)]);
  }
}

/** One emulator per test file, reset between histories (its timers and IPN queue included). */
export async function startSandbox(): Promise<Sandbox> {
  return createSandbox({ pendingMs: 60_000, refundAcceptMs: null, ipnSchedule: IPN_RETRIES_MS });
}
