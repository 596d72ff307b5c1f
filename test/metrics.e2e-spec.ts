import request from 'supertest';
import { loadConfig } from '../src/config/config';
import { startTestGateway, TestGateway } from './support/gateway';

describe('/metrics', () => {
  let gw: TestGateway;
  afterEach(async () => gw?.close());

  it('with METRICS_PUBLIC=true, exposes Prometheus metrics with HTTP requests by route template', async () => {
    gw = await startTestGateway({ metricsPublic: true });
    await request(gw.url).get('/v1/check-api-key').set('Authorization', `Bearer ${gw.apiKey}`).expect(200);
    await request(gw.url).get('/v1/check-api-key').expect(401);
    const res = await request(gw.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/hgw_http_requests_total\{method="GET",route="\/v1\/check-api-key",status="200"\} \d+/);
    expect(res.text).toMatch(/hgw_http_requests_total\{method="GET",route="\/v1\/check-api-key",status="401"\} \d+/);
    expect(res.text).toContain('hgw_http_request_duration_seconds_bucket');
    expect(res.text).toContain('hgw_process_resident_memory_bytes');
  });

  it('is closed by default: neither METRICS_TOKEN nor METRICS_PUBLIC set answers 401 naming both', async () => {
    const defaults = loadConfig({});
    gw = await startTestGateway({ metricsToken: defaults.metricsToken, metricsPublic: defaults.metricsPublic });
    const refused = await request(gw.url).get('/metrics').expect(401);
    expect(refused.body.error).toMatchObject({ code: 'PLATFORM.AUTHENTICATION_INVALID', message: expect.stringMatching(/METRICS_TOKEN.*METRICS_PUBLIC=true/) });
    expect(refused.text).not.toContain('hgw_');
  });

  it('requires METRICS_TOKEN when one is configured', async () => {
    gw = await startTestGateway({ metricsToken: 'scrape-token-123', metricsPublic: false });
    const refused = await request(gw.url).get('/metrics').expect(401);
    expect(refused.body.error.code).toBe('PLATFORM.AUTHENTICATION_INVALID');
    await request(gw.url).get('/metrics').set('Authorization', 'Bearer scrape-token-123').expect(200);
  });
});
