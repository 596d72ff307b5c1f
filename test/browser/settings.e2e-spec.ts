import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { type Browser, type Page } from 'playwright-core';
import { startPersonioSandbox, type PersonioSandbox } from '../../connectors/personio/sandbox';
import { artifactsDir, describeWithChromium, launchChromium } from '../support/browser';
import { startTestGateway, TestGateway } from '../support/gateway';
import { expectConverged, fastSyncEnv, fastConnectors, waitFor, waitForRun } from '../support/sync';
import { syncedIntegration } from './dashboard-support';

/**
 * Issue #13 in Chromium: the dashboard's settings form (filters with names and labels,
 * intervals, the API's validation, the change list) and the connect page's filter step
 * with human labels on a relink, current filters preselected. Screenshots: test-artifacts/settings/.
 */
const ARTIFACTS = artifactsDir('settings');

describeWithChromium('settings')('integration settings in headless Chromium', () => {
  let sb: PersonioSandbox;
  let gw: TestGateway;
  let browser: Browser;
  let page: Page;
  let acme: { id: string; credential: { clientId: string; clientSecret: string } };
  const problems: string[] = [];
  let step = 0;
  const shot = async (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true });
  const box = (field: string, value: string) => page.locator(`#settings-form input[name="${field}"][value="${value}"]`);

  beforeAll(async () => {
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sb = await startPersonioSandbox({ employees: 60, seed: 31, timeScale: 60 });
    gw = await startTestGateway({ env: fastSyncEnv(), toolSettings: { personio: { baseUrl: sb.url } } }, { connectors: fastConnectors() });
    acme = await syncedIntegration(gw, sb, 'ACME Learning GmbH');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Script errors and CSP violations; the refused form's 400 and the favicon's 404 are expected answers, not problems.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await sb?.close();
  });

  it('the integration page edits filters and intervals; a filter change resyncs; the change is listed', async () => {
    await page.goto(`${gw.url}/dashboard`);
    await page.fill('#secret', gw.apiKey);
    await page.click('#sign-in');
    await page.waitForURL(/\/dashboard\/integrations$/);
    await page.goto(`${gw.url}/dashboard/integrations/${encodeURIComponent(acme.id)}`);
    await page.locator('#settings-form').waitFor();
    // Names and words, not ids and enums.
    const [entity] = await gw.ds.query(`SELECT remote_id, name FROM hris_legal_entities WHERE integration_id = $1 ORDER BY name LIMIT 1`, [acme.id]);
    expect(await page.locator('#settings-form fieldset[data-field="legal_entity_remote_ids"]').innerText()).toContain(entity.name);
    expect(await page.locator('#settings-form fieldset[data-field="employment_types"]').innerText()).toContain('Full-time');
    expect(await page.locator('#settings-form fieldset[data-field="employment_statuses"]').innerText()).toContain('On leave');
    await shot('settings-form');

    await box('employment_statuses', 'ACTIVE').check();
    await page.fill('#delta_interval_minutes', '2');
    await page.click('#save-settings');
    await page.waitForURL(/ok=settings-resync/);
    expect(await page.locator('#notice').innerText()).toContain('full sync with the new filters is queued');
    const run = await waitFor(
      async () => (await gw.ds.query(`SELECT id FROM sync_runs WHERE integration_id = $1 AND trigger = 'MANUAL' AND type = 'FULL'`, [acme.id]))[0],
      20_000,
      'the full sync',
    );
    expect((await waitForRun(gw.ds, run.id)).status).toBe('SUCCEEDED');
    await expectConverged(gw.ds, sb, acme.id, { employment_statuses: ['ACTIVE'] });
    await page.reload();
    expect(await box('employment_statuses', 'ACTIVE').isChecked()).toBe(true);
    expect(await page.locator('#delta_interval_minutes').inputValue()).toBe('2');
    const change = page.locator('#settings-changes tbody tr').first();
    expect(await change.innerText()).toMatch(/Dashboard[\s\S]*filters, delta_interval_minutes/);
    const settings = await request(gw.url).get(`/v1/integrations/${acme.id}/settings`).set('Authorization', `Bearer ${gw.apiKey}`).expect(200);
    expect(settings.body.data).toMatchObject({ delta_interval_minutes: 2, filters: { employment_statuses: ['ACTIVE'] } });
    await shot('settings-saved');

    // The API's validation, in the API's words.
    await page.fill('#delta_interval_minutes', '0');
    await page.click('#save-settings');
    await page.locator('#notice').waitFor();
    expect(await page.locator('h1').innerText()).toBe('Settings not saved');
    expect(await page.locator('#notice').innerText()).toContain('delta_interval_minutes must not be less than 1');
    await shot('settings-refused');
    expect(problems).toEqual([]);
  });

  it('the connect page offers a relink the filter step in German, labelled and preselected', async () => {
    const res = await request(gw.url)
      .post(`/v1/integrations/${encodeURIComponent(acme.id)}/relink`)
      .set('Authorization', `Bearer ${gw.apiKey}`)
      .send({ language: 'de', link_type: 'MAGIC_LINK' })
      .expect(200);
    await page.goto(res.body.data.link);
    await page.fill('#clientId', acme.credential.clientId);
    await page.fill('#clientSecret', acme.credential.clientSecret);
    await page.click('#test-button');
    await page.locator('#filters').waitFor();
    const statuses = page.locator('fieldset[data-dimension="statuses"]');
    expect(await statuses.innerText()).toContain('Aktiv');
    expect(await statuses.innerText()).not.toContain('ACTIVE');
    expect(await statuses.locator('input[value="ACTIVE"]').isChecked()).toBe(true);
    expect(await page.locator('fieldset[data-dimension="employment_types"]').innerText()).toMatch(/Vollzeit|Teilzeit/);
    const [entity] = await gw.ds.query(`SELECT name FROM hris_legal_entities WHERE integration_id = $1 LIMIT 1`, [acme.id]);
    expect(await page.locator('fieldset[data-dimension="legal_entities"]').innerText()).toContain(entity.name);
    await shot('relink-filter-step-de');
    await page.locator('fieldset[data-dimension="employment_types"] input[value="FULL_TIME"]').check();
    await page.click('#finish-button');
    await page.locator('#done').waitFor();
    const [row] = await gw.ds.query(`SELECT filters FROM integrations WHERE id = $1`, [acme.id]);
    expect(row.filters).toEqual({ employment_statuses: ['ACTIVE'], employment_types: ['FULL_TIME'] });
    await shot('relink-done');
    expect(problems).toEqual([]);
  });
});
