import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paydoCheckout, testCards } from '@paydo-checkout/widget/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkoutProduct,
  ENGINE_TITLE,
  expectText,
  openPage,
  type Shop,
  startShop,
  waitForAdminStatus,
} from './harness.ts';

// Ctrl-C and `pnpm start` between paying and refunding: the store keeps its orders in DATA_DIR
// and gives the embedded emulator a folder beside them, so the refund finds the transaction.
const dataDir = mkdtempSync(join(tmpdir(), 'paydo-store-restart-'));
let shop: Shop | undefined;
afterAll(async () => {
  await shop?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`an order paid before a restart is refunded after it (${ENGINE_TITLE})`, () => {
  it('pays, restarts the store and its emulator, refunds from the admin page; the dashboard still shows it', async () => {
    shop = await startShop({ dataDir });
    const page = await openPage(shop, 'paid before the restart');
    const ref = await checkoutProduct(page, 'notebook');
    const paydo = paydoCheckout(page);
    await paydo.fillCardPayment(testCards.visa);
    await paydo.pay();
    await page.waitForURL(`**/orders/${ref}`);
    await waitForAdminStatus(page, ref, 'paid');
    const txid = (await shop.db.findOrder(ref))?.txid as string;
    expect(txid).toBeTruthy();
    await shop.close();

    shop = await startShop({ dataDir });
    const after = await openPage(shop, 'refunded after the restart');
    await waitForAdminStatus(after, ref, 'paid');
    await after.locator(`tr[data-order="${ref}"]`).getByRole('button', { name: 'Refund' }).click();
    await after.getByRole('button', { name: 'Confirm refund of €9.00' }).click();
    await after.waitForURL('**/admin/orders?ok=refund_requested');
    await waitForAdminStatus(after, ref, 'refunded');
    expect(shop.logs.join('\n')).not.toContain('refund failed');
    // The emulator's dashboard lists the transaction it was paid with, and its refund.
    await after.goto(shop.sandbox.dashboardUrl);
    await expectText(after.locator('body'), txid);
    const [refund] = shop.sandbox.control.snapshot().refunds;
    expect(refund?.sourceTransaction).toMatchObject({ identifier: txid });
  });
});
