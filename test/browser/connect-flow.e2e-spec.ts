import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kombo } from '@kombo-api/sdk';
import { type Browser, type FrameLocator, type Page } from 'playwright-core';
import { startPersonioSandbox, type PersonioSandbox } from '../../connectors/personio/sandbox';
import { PERSONIO_REQUIREMENTS } from '../../connectors/personio/connect-info';
import { artifactsDir, describeWithChromium, launchChromium } from '../support/browser';
import { startTestGateway, TestGateway } from '../support/gateway';
import { startHostPage, type HostPage } from './host-page';

/**
 * The embedded flow end to end, as an LMS ships it: a host page on its own origin calls
 * `showKomboConnect(link)` from @kombo-api/connect (its browser build, unchanged); the
 * customer works through our hosted page in the iframe against the Personio simulator;
 * the promise resolves with an activation token that @kombo-api/sdk exchanges; the
 * first sync runs and the employees are readable through the SDK.
 */
const ARTIFACTS = artifactsDir('connect');

describeWithChromium('connect')('connect flow in headless Chromium with @kombo-api/connect', () => {
  let sandbox: PersonioSandbox;
  let gw: TestGateway;
  let host: HostPage;
  let browser: Browser;
  let page: Page;
  let step = 0;

  const shot = async (name: string) => {
    await page.screenshot({ path: path.join(ARTIFACTS, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sandbox = await startPersonioSandbox({ employees: 25, seed: 11, port: 0 });
    host = await startHostPage();
    // Only the LMS's origin may frame the page: the strict setting, as production should run.
    gw = await startTestGateway({ toolSettings: { personio: { baseUrl: sandbox.url } }, connectFrameAncestors: [host.origin] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 1100 } });
  }, 120_000); // embedded Postgres and Chromium starting on a busy 2-core machine
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await gw?.close();
    await sandbox?.close();
  });

  it('connects Personio through the iframe, fixes a missing attribute, and the SDK reads the employees', async () => {
    const kombo = new Kombo({ api_key: gw.apiKey, server_url: `${gw.url}/v1` });
    const { data } = await kombo.connect.createConnectionLink({
      end_user_email: 'hr@acme.example',
      end_user_organization_name: 'ACME GmbH',
      end_user_origin_id: 'acme-42',
      integration_category: 'HRIS',
      integration_tool: 'personio',
      language: 'en',
      link_type: 'EMBEDDED',
    });
    // The customer's credentials can read everything but "Office".
    const credential = sandbox.addCredential({
      attributes: [
        'id',
        ...PERSONIO_REQUIREMENTS.filter((r) => r.kind === 'attribute')
          .map((a) => a.key)
          .filter((k) => k !== 'office'),
      ],
    });

    await page.goto(host.url);
    await page.evaluate((link) => {
      const w = window as unknown as { KomboConnect: { showKomboConnect(l: string): Promise<string> }; connectResult: Promise<string> };
      w.connectResult = w.KomboConnect.showKomboConnect(link);
    }, data.link);
    const frame: FrameLocator = page.frameLocator('iframe');
    await frame.locator('#credentials').waitFor();
    await frame.locator('#close-button').waitFor(); // the page knows it is framed (its script ran under the CSP)
    await shot('credentials');

    await frame.locator('#clientId').fill(credential.clientId);
    await frame.locator('#clientSecret').fill('papi-definitely-wrong');
    await frame.locator('#test-button').click();
    await frame.locator('#errors').waitFor();
    expect(await frame.locator('#errors').innerText()).toContain('Personio did not accept');
    expect(await frame.locator('#clientSecret').inputValue()).toBe('');
    await shot('wrong-secret');

    await frame.locator('#clientSecret').fill(credential.clientSecret);
    await frame.locator('#test-button').click();
    await frame.locator('#missing').waitFor();
    expect(await frame.locator('#missing').innerText()).toContain('The attribute "Office" cannot be read');
    expect(await frame.locator('#finish').count()).toBe(0);
    await shot('missing-attribute');

    sandbox.setWhitelist(credential.clientId, 'all');
    await frame.locator('#test-button').click(); // "Test again": the secret stays saved server-side
    await frame.locator('#verified').waitFor();
    await shot('verified');

    await frame.locator('#finish-button').click();
    const token = await page.evaluate(() => (window as unknown as { connectResult: Promise<string> }).connectResult);
    expect(token).toMatch(/^hgat_/);
    expect(await page.locator('iframe').count()).toBe(0); // @kombo-api/connect removed the frame on success
    await shot('host-after-success');

    const exchanged = await kombo.connect.getIntegrationByToken({ token });
    expect(exchanged.data).toMatchObject({
      tool: 'personio',
      end_user_origin_id: 'acme-42',
      end_user_organization_name: 'ACME GmbH',
      end_user_email: 'hr@acme.example',
    });
    const integrationId = exchanged.data.id;

    // The first full sync was queued by the flow; wait for it, then read through the SDK.
    const deadline = Date.now() + 30_000;
    let status = '';
    while (Date.now() < deadline) {
      [{ setup_status: status }] = await gw.ds.query(`SELECT setup_status FROM integrations WHERE id = $1`, [integrationId]);
      if (status === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('COMPLETED');
    const scoped = new Kombo({ api_key: gw.apiKey, server_url: `${gw.url}/v1`, integration_id: integrationId });
    const employees = await scoped.hris.getEmployees({ page_size: 100 });
    let results = 0;
    for await (const p of employees) results += p.result.data.results.length;
    expect(results).toBe(sandbox.employeeIds().length);

    const logs = gw.logs().join('\n');
    expect(logs).not.toContain(credential.clientSecret);
    expect(logs).not.toContain(token);
  }, 90_000);

  it('the close button rejects showKomboConnect as cancelled', async () => {
    const kombo = new Kombo({ api_key: gw.apiKey, server_url: `${gw.url}/v1` });
    const { data } = await kombo.connect.createConnectionLink({ end_user_email: 'x@acme.example', end_user_organization_name: 'ACME GmbH', language: 'de' });
    await page.goto(host.url);
    await page.evaluate((link) => {
      const w = window as unknown as { KomboConnect: { showKomboConnect(l: string): Promise<string> }; connectResult: Promise<string> };
      w.connectResult = w.KomboConnect.showKomboConnect(link).then(
        (t) => `resolved:${t}`,
        (e: Error) => `rejected:${e.name}`,
      );
    }, data.link);
    const frame = page.frameLocator('iframe');
    await frame.locator('#close-button').waitFor();
    expect(await frame.locator('#test-button').innerText()).toBe('Verbindung testen');
    await shot('german-before-close');
    await frame.locator('#close-button').click();
    expect(await page.evaluate(() => (window as unknown as { connectResult: Promise<string> }).connectResult)).toBe('rejected:KomboConnectCancelledError');
  });
});
