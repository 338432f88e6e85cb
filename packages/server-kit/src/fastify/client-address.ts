import type { FastifyRequest } from 'fastify';

/**
 * An address in one spelling. A dual-stack listener (`::`) sees IPv4 peers as
 * `::ffff:a.b.c.d`; allowlists and rate-limit keys are written as `a.b.c.d`.
 */
export function normalizeIp(ip: string): string {
  const v4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return v4?.[1] ?? ip.toLowerCase();
}

/**
 * The client's address as Fastify's `trustProxy` decided it: a forwarded
 * header counts only when the peer is a proxy the server trusts.
 */
export function clientIp(request: FastifyRequest): string {
  return normalizeIp(request.ip);
}
