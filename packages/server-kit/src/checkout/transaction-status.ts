import type { PaydoClient } from '../client/client.ts';
import type { TransactionStatus } from '../client/schemas/transactions.ts';
import { SingleFlight } from './single-flight.ts';

/**
 * `check-transaction-status`, coalesced per txid: one upstream call per `cacheMs` however many
 * widgets poll one transaction. A form (3-D Secure, redirect) is never reused: the payer may
 * complete it any second.
 */
export class TransactionStatuses {
  readonly #client: PaydoClient;
  readonly #flight: SingleFlight<TransactionStatus>;

  constructor(client: PaydoClient, cacheMs: number) {
    this.#client = client;
    this.#flight = new SingleFlight<TransactionStatus>(cacheMs, { cacheable: (status) => status.form === null });
  }

  check(txid: string): Promise<TransactionStatus> {
    return this.#flight.run(txid, () => this.#client.transactions.checkStatus(txid));
  }

  /** Drops the cached answer (the transaction changed at Paydo by our own hand, e.g. voided). */
  forget(txid: string): void {
    this.#flight.forget(txid);
  }
}
