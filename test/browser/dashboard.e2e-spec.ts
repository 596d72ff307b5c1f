import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startPersonioSandbox, type PersonioSandbox } from '../../connectors/personio/sandbox';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { artifactsDir, describeWithChromium, launchChromium } from '../support/browser';
import { startTestGateway, TestGateway } from '../support/gateway';
import { fastSyncEnv, fastConnectors, waitFor } from '../support/sync';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { syncedIntegration } from './dashboard-support';

/**
 * The operator dashboard in headless Chromium, on real data (the Personio simulator and
 * real syncs): every page renders, every action works through the UI, the CSP holds
 * (the page's script runs; nothing inline is blocked). Screenshots: test-artifacts/dashboard/.
 */
const ARTIFACTS = artifactsDir('dashboard');
const ADMIN_PASSWORD = 'browser-admin-password-1';

describeWithChromium('dashboard')('operator dashboard in headless Chromium', () => {
  let sb: PersonioSandbox;
  let gw: TestGateway;
  let hook: WebhookReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let acme: string;
  let beta: string;
  let failing = true;
  const problems: string[] = [];
  let step = 0;

  const shot = async (name: string) => {
    await page.screenshot({ path: path.join(ARTIFACTS, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  const notice = async () => (await page.locator('#notice').innerText()).trim();
  const row = (id: string) => page.locator(`tr[data-integration-id="${id}"]`);

  beforeAll(async () => {
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sb = await startPersonioSandbox({ employees: 60, seed: 21, timeScale: 60 });
    hook = await startWebhookReceiver(() => (failing ? 503 : 200));
    gw = await startTestGateway(
      {
        env: { ...fastSyncEnv(), WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_DELAY_MS: '50', WEBHOOK_RETRY_WINDOW_MS: '150' },
        dashboardAdminPassword: ADMIN_PASSWORD,
      },
      { connectors: fastConnectors() },
    );
    await request(gw.url).post('/v1/webhooks/endpoints').set('Authorization', `Bearer ${gw.apiKey}`).send({ url: hook.url }).expect(201);
    acme = (await syncedIntegration(gw, sb, 'ACME Learning GmbH')).id;
    beta = (await syncedIntegration(gw, sb, 'Beta Academy AG')).id;
    await gw.app.get(ApiKeysService).createEnvironment('staging');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.url });
    page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
  });
  /** Copying is asynchronous (navigator.clipboard): wait for the page to say it is done. */
  const copied = () =>
    page.waitForFunction(() => document.querySelector('#copy-status')?.textContent === 'Copied to the clipboard.', undefined, { timeout: 10_000 });

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await hook?.close();
    await sb?.close();
  });

  it('signs in with an API key and lists the integrations with real data', async () => {
    await page.goto(`${gw.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await shot('sign-in');
    await page.fill('#secret', gw.apiKey);
    await page.click('#sign-in');
    await page.waitForURL(/\/dashboard\/integrations$/);
    await expect(row(acme).locator('.employees').innerText()).resolves.toBe(String(sb.employeeIds().length));
    await expect(row(beta).innerText()).resolves.toContain('Beta Academy AG');
    await expect(row(acme).locator('.next-sync').innerText()).resolves.toMatch(/UTC/);
    await shot('integrations');
  });

  it('"Sync now" from the list and from the runs tab; the runs tab shows the runs and the chart', async () => {
    await row(acme).getByRole('button', { name: 'Sync now (full)' }).click();
    await page.waitForURL(/ok=sync-queued/);
    expect(await notice()).toContain('Sync queued');
    await waitFor(
      async () => (await gw.ds.query(`SELECT 1 FROM sync_runs WHERE integration_id = $1 AND trigger = 'MANUAL' AND status = 'SUCCEEDED'`, [acme])).length === 1,
      20_000,
      'manual full run',
    );
    sb.hire({ first_name: 'Dana', last_name: 'Browser' }); // the delta has something to bring
    await row(acme).locator('a.customer').click();
    await page.waitForURL(new RegExp(`/dashboard/integrations/${encodeURIComponent(acme)}$`));
    await page.getByRole('button', { name: 'Sync now (delta)' }).click();
    await page.waitForURL(/ok=sync-queued/);
    await waitFor(
      async () => (await gw.ds.query(`SELECT 1 FROM sync_runs WHERE integration_id = $1 AND type = 'DELTA' AND status = 'SUCCEEDED'`, [acme])).length === 1,
      20_000,
      'delta run',
    );
    await page.reload();
    const runs = page.locator('#runs tbody tr');
    expect(await runs.count()).toBe(3);
    const delta = page.locator('#runs tbody tr').first();
    expect(await delta.innerText()).toMatch(/manual \(dashboard\)\s+DELTA\s+SUCCEEDED/);
    expect(await page.locator('#runs tbody tr').last().innerText()).toContain('first sync');
    expect(await page.locator('#employee-count').innerText()).toBe(String(sb.employeeIds().length));
    expect(await page.locator('#run-chart circle.point').count()).toBe(3);
    expect(await page.locator('#run-chart rect.bar').count()).toBe(3);
    await shot('runs-with-chart');
  });

  it('disables and re-enables an integration', async () => {
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.waitForURL(/ok=disabled/);
    expect(await page.locator('#state').innerText()).toContain('INACTIVE');
    expect(await page.getByRole('button', { name: 'Sync now (full)' }).count()).toBe(0);
    await shot('disabled');
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.waitForURL(/ok=enabled/);
    expect(await page.locator('#state').innerText()).toContain('ACTIVE');
  });

  it('creates a relink link and copies it to the clipboard', async () => {
    await page.getByRole('button', { name: 'Relink link' }).click();
    const link = await page.locator('#created-link').inputValue();
    expect(link).toMatch(/\/connect\/hgct_\w+$/);
    await page.click('#copy-link');
    await copied();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await shot('relink-link');
    const connect = await context.newPage();
    await connect.goto(link);
    expect(await connect.locator('#clientId').count()).toBe(1); // the hosted connect page for this integration
    await connect.close();
  });

  it('shows failed webhook deliveries and redelivers one, then all failed since a time', async () => {
    await waitFor(async () => (await gw.ds.query(`SELECT 1 FROM webhook_deliveries WHERE status = 'pending'`)).length === 0, 20_000, 'retries exhausted');
    await page.click('nav >> text=Webhook deliveries');
    await page.selectOption('#status-filter', 'failed'); // submits itself (dashboard.js)
    await page.waitForURL(/status=failed/);
    const failedRows = page.locator('#events tbody tr[data-status="failed"]');
    const failed = await failedRows.count();
    expect(failed).toBeGreaterThan(1);
    expect(await failedRows.first().innerText()).toContain('HTTP 503');
    await shot('webhooks-failed');

    failing = false;
    const eventId = await failedRows.first().getAttribute('data-event-id');
    const sentBefore = hook.received.filter((h) => h.json.id === eventId).length;
    await failedRows.first().getByRole('button', { name: 'Redeliver' }).click();
    await page.waitForURL(/ok=redelivered/);
    expect(await notice()).toBe('Event queued for redelivery to 1 endpoint.');
    await hook.waitFor((all) => all.filter((h) => h.json.id === eventId).length === sentBefore + 1);

    await page.click('#redeliver-failed');
    await page.waitForURL(/ok=redelivered-failed/);
    expect(await notice()).toMatch(new RegExp(`^${failed - 1} failed deliveries queued again`));
    await waitFor(async () => (await gw.ds.query(`SELECT 1 FROM webhook_deliveries WHERE status <> 'succeeded'`)).length === 0, 20_000, 'all delivered');
    await page.reload();
    expect(await page.locator('#events tbody tr[data-status="failed"]').count()).toBe(0);
    expect(await page.locator('#events tbody tr[data-status="succeeded"]').count()).toBeGreaterThan(1);
    await shot('webhooks-redelivered');
  });

  it('creates a connect link with options and copies it', async () => {
    await page.click('nav >> text=Connect links');
    await page.fill('#end_user_organization_name', 'Gamma Schools e.V.');
    await page.fill('#end_user_email', 'it@gamma.example');
    await page.fill('#end_user_origin_id', 'gamma-7');
    await page.selectOption('#link_type', 'MAGIC_LINK');
    await page.selectOption('#language', 'de');
    await page.fill('#expires_in_minutes', '1440');
    await page.check('#enable_filtering');
    await shot('connect-form');
    await page.click('#create-link');
    const link = await page.locator('#created-link').inputValue();
    await page.click('#copy-link');
    await copied();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    const [stored] = await gw.ds.query(`SELECT link_type, language, enable_filtering, end_user_origin_id FROM connect_links ORDER BY created_at DESC LIMIT 1`);
    expect(stored).toEqual({ link_type: 'MAGIC_LINK', language: 'de', enable_filtering: true, end_user_origin_id: 'gamma-7' });
    await shot('connect-link-created');
  });

  it('deletes an integration after confirmation', async () => {
    await page.click('nav >> text=Integrations');
    await row(beta).getByRole('link', { name: 'Delete…' }).click();
    expect(await page.locator('main').innerText()).toContain('Beta Academy AG');
    await shot('delete-confirm');
    await page.click('#confirm-delete');
    await page.waitForURL(/ok=deleted/);
    expect(await notice()).toBe('Integration deleted.');
    expect(await row(beta).count()).toBe(0);
    expect(await row(acme).count()).toBe(1);
  });

  it('signs out, signs in as admin and switches environment', async () => {
    await page.click('#sign-out');
    await page.waitForURL(/\/dashboard\/sign-in$/);
    await page.goto(`${gw.url}/dashboard/integrations`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await page.fill('#secret', ADMIN_PASSWORD);
    await page.click('#sign-in');
    await page.waitForURL(/\/dashboard\/integrations$/);
    expect(await page.locator('.badge', { hasText: 'admin' }).count()).toBe(1);
    expect(await row(acme).count()).toBe(1);
    await page.selectOption('#environment_id', { label: 'staging' }); // submits itself
    await page.waitForURL(/\/dashboard\/integrations$/);
    await page.waitForSelector('text=No integrations yet');
    expect(await row(acme).count()).toBe(0);
    await shot('admin-staging');
  });

  it('raised no script error and no CSP violation on any page', () => {
    expect(problems).toEqual([]);
  });
});
