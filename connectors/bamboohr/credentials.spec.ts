// Credential validation (company domain forms, the key) and the connect info the UI shows.
import { KEY } from './client.spec-env';
import { createBamboohrConnector } from './connector';
import { bamboohrCredentials, normalizeCompanyDomain } from './credentials';

describe('connect info', () => {
  const c = createBamboohrConnector();
  it('speaks English and German everywhere, and names each requirement once', () => {
    const texts = [
      c.connect.guide.title,
      c.connect.missingHint,
      ...c.connect.guide.steps.map((x) => x.text),
      ...c.connect.requirements.flatMap((r) => [r.label, r.why]),
    ];
    for (const t of texts) expect([typeof t.en, typeof t.de]).toEqual(['string', 'string']);
    const keys = c.connect.requirements.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(c.connect.guide.steps.some((x) => x.listRequirements)).toBe(true);
  });
  it('declares its settings, upload limits and coverage', () => {
    expect(c.settings.find((x) => x.key === 'baseUrl')).toMatchObject({ env: 'BAMBOOHR_BASE_URL', kind: 'url' });
    expect(c.uploadRules.maxBytes).toBe(20 * 1024 * 1024);
    expect(c.tool.coverage.write).toEqual({ employee_documents: true, trainings: true });
    expect(c.tool.coverage.read.legal_entities?.read).toBe(false);
    expect(c.tool.coverage.passthrough).toEqual(['bamboohr/v1']);
  });
});

describe('credentials', () => {
  it.each([
    ['acme', 'acme'],
    [' ACME.bamboohr.com ', 'acme'],
    ['https://acme.bamboohr.com/home/', 'acme'],
    ['acme.bamboohr.com/employees', 'acme'],
    ['https://api.bamboohr.com/api/gateway.php/acme-gmbh/v1/', 'acme-gmbh'],
  ])('company domain %j → %j', (input, out) => {
    expect(normalizeCompanyDomain(input)).toBe(out);
  });

  it.each(['', 'api.bamboohr.com', 'https://example.com/x/y', 'acme corp', '-acme', 'https://www.bamboohr.com', 'a_b'])('%j is no company domain', (input) => {
    expect(normalizeCompanyDomain(input)).toBeNull();
  });

  it('validate trims, normalises and names each bad field', () => {
    expect(bamboohrCredentials.validate({ companyDomain: 'acme.bamboohr.com', apiKey: ` ${KEY} ` })).toEqual({
      ok: true,
      value: { companyDomain: 'acme', apiKey: KEY },
    });
    const bad = bamboohrCredentials.validate({ companyDomain: 'not a domain', apiKey: 'has space inside' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.field)).toEqual(['companyDomain', 'apiKey']);
    const empty = bamboohrCredentials.validate(null);
    expect(!empty.ok && empty.errors.map((e) => e.field)).toEqual(['companyDomain', 'apiKey']);
    expect(bamboohrCredentials.fields.map((f) => [f.key, f.secret])).toEqual([
      ['companyDomain', false],
      ['apiKey', true],
    ]);
  });
});
