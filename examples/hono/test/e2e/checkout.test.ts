import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { describeOnePageShop } from '../../../../scripts/one-page-shop-e2e.ts';
import { buildShop } from '../../src/server.ts';

// The Hono example: paying by card and by 3-D Secure through the server kit's fetch handler on
// @hono/node-server (the peer's address from getConnInfo).
let shop: ReturnType<typeof buildShop> | undefined;
describeOnePageShop(
  'Hono example',
  () =>
    createAdaptorServer({
      fetch: (request, env) => (shop as ReturnType<typeof buildShop>).app.fetch(request, env),
    }) as Server,
  (_server, options) => {
    shop = buildShop(options);
    const built = shop;
    return { ready: () => built.paydo.ready(), close: () => built.paydo.close() };
  },
);
