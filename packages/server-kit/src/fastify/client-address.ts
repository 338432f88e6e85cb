import type { FastifyRequest } from 'fastify';
import { clientIpOf, type TrustFn } from '../checkout/client-address.ts';

export type { TrustProxy } from '../checkout/client-address.ts';

/** The client's address of a Fastify request (`clientIpOf`: the peer, or what a trusted proxy says). */
export function clientIp(request: FastifyRequest, trust: TrustFn): string {
  return clientIpOf(request.raw, request.ip, trust);
}
