import { MockAgent } from 'undici';
import { PaydoClient, type PaydoClientOptions } from '../src/index.ts';

export const ORIGIN = 'https://paydo.test';
export const PUBLIC_KEY = 'application-3b6b8e2c-1f0a-4a57-9c39-2f3d6a1e0b11';
export const SECRET_KEY = 'test-secret-key-0123456789';
export const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';

export function mockClient(options: Partial<PaydoClientOptions> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const client = new PaydoClient({
    publicKey: PUBLIC_KEY,
    secretKey: SECRET_KEY,
    jwt: JWT,
    baseUrl: `${ORIGIN}/v1`,
    dispatcher: agent,
    retry: { minDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
  return { agent, pool, client };
}

export const json = { 'content-type': 'application/json' };
