// `pnpm start` at the repository root lands here: the store on the embedded
// Paydo sandbox (no keys needed), or on Paydo when PAYDO_* keys are set.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createSandbox, type Sandbox, TEST_CARDS } from '@paydo-checkout/sandbox';
import { PostgresStore } from '@paydo-checkout/server-kit/postgres';
import { Redis } from 'ioredis';
import { ConfigError, cardModeLine, loadConfig, loadEnvFile } from './config.ts';
import { PostgresStoreDb } from './db-postgres.ts';
import { otelExporterFrom, startTelemetry } from './otel.ts';
import { buildStore } from './server.ts';

let config: ReturnType<typeof loadConfig>;
let envFile: string;
try {
  // examples/store/.env (or STORE_ENV_FILE) fills in what the real environment does not set.
  envFile = loadEnvFile(process.env);
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  console.error('See examples/store/.env.example.');
  process.exit(1);
}

// OpenTelemetry first: the Paydo kit takes its meters when the plugin is registered.
let stopTelemetry: (() => Promise<void>) | undefined;
try {
  const exporter = otelExporterFrom(process.env.OTEL_EXPORTER);
  if (exporter) stopTelemetry = startTelemetry(exporter);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

let sandbox: Sandbox | undefined;
try {
  if (config.paydo.mode === 'sandbox') {
    sandbox = await createSandbox({
      port: config.paydo.sandboxPort,
      pendingMs: 4_000,
      cardTokenization: config.sandboxCardTokenization,
      // Beside the orders: an order paid before a restart can be refunded after it.
      dataDir: join(config.dataDir, 'sandbox'),
    });
  }
  const paydoKeys =
    config.paydo.mode === 'sandbox' && sandbox
      ? { ...sandbox.project, baseUrl: sandbox.apiUrl }
      : (config.paydo as Extract<typeof config.paydo, { mode: 'paydo' }>);
  // Only the zero-config sandbox start may make up a password (config refuses real keys without one).
  const adminPassword = config.adminPassword ?? randomBytes(12).toString('base64url');
  // Several instances: the orders and the kit's state in PostgreSQL and the rate limits in Redis, shared by all.
  const db = config.databaseUrl ? await PostgresStoreDb.open({ connectionString: config.databaseUrl }) : undefined;
  const paydoStore = config.databaseUrl
    ? await PostgresStore.open({ connectionString: config.databaseUrl })
    : undefined;
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : undefined;
  const { app, url: publicUrl } = await buildStore({
    listen: { port: config.port, host: config.host },
    publicUrl: config.publicUrl,
    db,
    paydoStore,
    ...(redis && { rateLimit: { redis } }),
    adminPassword,
    cookieSecret: config.cookieSecret,
    cardPayments: config.cardPayments,
    ipnSourceAddresses: config.ipnSourceAddresses,
    dataDir: config.dataDir,
    paydo: paydoKeys,
    sandboxOrigin: sandbox?.url,
    logger: true,
    pollIntervalMs: sandbox ? 1_000 : 5_000,
  });
  sandbox?.control.configure({ ipnUrl: `${publicUrl}/paydo/ipn` });

  const lines = [
    '',
    `  Settings:         ${envFile}`,
    `  Store:            ${publicUrl}`,
    `  Orders (admin):   ${publicUrl}/admin/orders`,
    `  Orders, payments: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${config.dataDir}`}; rate limits ${config.redisUrl ? 'in Redis (REDIS_URL)' : 'per process'}`,
    config.adminPassword
      ? '  Admin password:   from ADMIN_PASSWORD'
      : `  Admin password:   ${adminPassword}   (generated for this run; set ADMIN_PASSWORD to choose one)`,
  ];
  lines.push(...cardModeLine(config));
  if (sandbox) {
    lines.push(
      `  Paydo sandbox:    ${sandbox.dashboardUrl}`,
      `  Sandbox state:    ${join(config.dataDir, 'sandbox')} (kept across restarts)`,
      '  Test cards (any future expiry, any CVC):',
    );
    for (const card of TEST_CARDS) lines.push(`    ${card.pan.replace(/(\d{4})(?=\d)/g, '$1 ')}  ${card.description}`);
  } else {
    lines.push(`  Paydo:            ${paydoKeys.baseUrl ?? 'https://paydo.com/v1'} (IPN URL: ${publicUrl}/paydo/ipn)`);
  }
  if (stopTelemetry)
    lines.push(`  Telemetry:        traces and metrics to ${process.env.OTEL_EXPORTER} (OTEL_EXPORTER)`);
  lines.push('  Ctrl-C stops everything.', '');
  console.log(lines.join('\n'));

  // Ctrl-C: the store, then the emulator (which saves its state), then exit 0. The signal comes
  // twice under pnpm (from the terminal and forwarded by pnpm): the second one is ignored.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      console.error('store: did not stop within 10 s; exiting anyway.');
      process.exit(1);
    }, 10_000).unref();
    try {
      await app.close();
      redis?.disconnect();
      await sandbox?.close();
      await stopTelemetry?.();
    } catch (error) {
      console.error('store: stopping failed:', error);
      process.exit(1);
    }
    // Written before exiting: console.log to a pipe could be cut off by process.exit.
    process.stdout.write('Stopped.\n', () => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  console.error(e.code === 'EADDRINUSE' ? `A port is in use (${e.message}). Set PORT or SANDBOX_PORT.` : e);
  await sandbox?.close();
  process.exit(1);
}
