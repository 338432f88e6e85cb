/** Deterministic ids and coin flips when a seed is given; crypto-random otherwise. */
import { randomUUID } from 'node:crypto';

export interface Random {
  uuid(): string;
  /** A number in [0, 1). */
  next(): number;
}

export function createRandom(seed: number | undefined): Random {
  if (seed === undefined) return { uuid: () => randomUUID(), next: Math.random };
  // mulberry32: small, fast, good enough for test ids.
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number) =>
    Array.from({ length: n }, () =>
      Math.floor(next() * 16)
        .toString(16)
        .toString(),
    ).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}`;
  return { uuid, next };
}
