/**
 * What the checkout logs through: the request's logger of the framework serving it (pino's
 * `(object, message)` shape, which Fastify's `request.log` has). Card data, secrets and payer
 * contact details never go into the object.
 */
export interface CheckoutLogger {
  debug(object: object | string, message?: string): void;
  info(object: object | string, message?: string): void;
  warn(object: object | string, message?: string): void;
  error(object: object | string, message?: string): void;
}

/** One request as the checkout sees it, whichever framework received it. */
export interface CheckoutRequest {
  /** The framework's own request, handed to `resolveOrder` as it is. */
  raw: unknown;
  log: CheckoutLogger;
  /** The client's address (after trusted proxies): the IPN allowlist and the payer's IP for Paydo. */
  clientIp: string;
}
