import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * Which peers may name the client in `X-Forwarded-For`: addresses or CIDRs of
 * your proxies (`['10.0.0.2']`, `'10.0.0.0/8'`, `'loopback'`), or a hop count
 * (the number of proxies every request passes, when nothing reaches the server
 * around them). `false`: none, the peer is the client.
 */
export type TrustProxy = false | number | string | readonly string[];

export type TrustFn = (address: string, hop: number) => boolean;

/**
 * Compiles the plugin's own trust (Fastify's `trustProxy` semantics, minus
 * `true`). The plugin does not read the app's `trustProxy`: an app that
 * trusts every peer for its own pages must not let a forged header pass the
 * IPN allowlist or the rate limits here. Throws a TypeError on a bad value.
 */
export function compileTrustProxy(value: TrustProxy | undefined): TrustFn {
  if (value === undefined || value === false) return () => false;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new TypeError('a hop count must be a whole number ≥ 0');
    return (_address, hop) => hop < value;
  }
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [...value];
  if (!list.every((s) => typeof s === 'string' && s !== '')) throw new TypeError('list proxy addresses or CIDRs');
  try {
    return proxyAddr.compile(list);
  } catch (error) {
    throw new TypeError((error as Error).message);
  }
}

/**
 * An address in one spelling. A dual-stack listener (`::`) sees IPv4 peers as
 * `::ffff:a.b.c.d`; allowlists and rate-limit keys are written as `a.b.c.d`.
 */
export function normalizeIp(ip: string): string {
  const v4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return v4?.[1] ?? ip.toLowerCase();
}

/**
 * The client's address: the peer, or the address a trusted proxy put in
 * `X-Forwarded-For` (read from the nearest hop outwards, stopping at the first
 * address that is not a trusted proxy). `raw` is Node's request (any framework on Node has it).
 */
export function clientIpOf(raw: IncomingMessage | undefined, peer: string | undefined, trust: TrustFn): string {
  const chain = raw?.socket ? proxyAddr.all(raw, trust) : [];
  return normalizeIp(chain.at(-1) ?? peer ?? '');
}

/**
 * The client's address from a peer address and the `X-Forwarded-For` header, for requests that
 * carry no socket (a Web `Request`): the same trusted-proxy rules as `clientIpOf`.
 */
export function clientIpFromPeer(peer: string, forwardedFor: string | null | undefined, trust: TrustFn): string {
  if (!peer) return '';
  const request = { socket: { remoteAddress: peer }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} };
  return clientIpOf(request as unknown as IncomingMessage, peer, trust);
}
