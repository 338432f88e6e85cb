import { describe, expect, it } from 'vitest';
import { total } from '../src/catalog.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('store settings', () => {
  it('runs on the sandbox without keys', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '.data',
      paydo: { mode: 'sandbox', sandboxPort: 8099 },
    });
  });

  it('uses Paydo with all keys and PUBLIC_URL', () => {
    const config = loadConfig({
      PAYDO_PUBLIC_KEY: 'application-6f1b1b5a-5b8e-4c1e-9a57-5a6e0d2f0001',
      PAYDO_SECRET_KEY: 's3cret',
      PAYDO_JWT: 'a.b.c',
      PUBLIC_URL: 'https://shop.example/',
      PORT: '8080',
      ADMIN_PASSWORD: 'correct horse battery',
    });
    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'https://shop.example',
      paydo: { mode: 'paydo', jwt: 'a.b.c' },
    });
  });

  it('lists every problem in one message', () => {
    let message = '';
    try {
      loadConfig({ PAYDO_PUBLIC_KEY: 'pk_live', PORT: 'eighty', PAYDO_BASE_URL: 'ftp://x' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const part of [
      'ADMIN_PASSWORD is required with real Paydo keys',
      'PORT must be a port number',
      'PAYDO_BASE_URL must be an http(s) URL',
      'PAYDO_SECRET_KEY is missing',
      'PAYDO_JWT is missing',
      'PAYDO_PUBLIC_KEY must look like application-<uuid>',
      'PUBLIC_URL is required',
    ]) {
      expect(message).toContain(part);
    }
    expect(message).not.toContain('pk_live');
  });

  it('sums prices exactly', () => {
    expect(
      total([
        { price: '0.10', quantity: 3 },
        { price: '4.90', quantity: 1 },
      ]),
    ).toBe('5.20');
  });

  it('takes DATABASE_URL and REDIS_URL for several instances, and refuses other URLs', () => {
    expect(loadConfig({})).toMatchObject({ databaseUrl: undefined, redisUrl: undefined });
    expect(
      loadConfig({ DATABASE_URL: 'postgres://shop:pw@db:5432/shop', REDIS_URL: 'redis://cache:6379' }),
    ).toMatchObject({ databaseUrl: 'postgres://shop:pw@db:5432/shop', redisUrl: 'redis://cache:6379' });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/shop', REDIS_URL: 'cache:6379' })).toThrow(
      /DATABASE_URL must be a URL like postgres:.*\n.*REDIS_URL must be a URL like redis:/s,
    );
  });
});
