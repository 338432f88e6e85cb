import { createServer } from 'node:http';
import { describeOnePageShop } from '../../../../scripts/one-page-shop-e2e.ts';
import { buildShop } from '../../src/server.ts';

// The Express example: paying by card and by 3-D Secure through the server kit's Express router.
describeOnePageShop('Express example', createServer, (server, options) => {
  const shop = buildShop(options);
  server.on('request', shop.app);
  return { ready: () => shop.paydo.ready(), close: () => shop.paydo.close() };
});
