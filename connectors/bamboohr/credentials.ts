// The connect form's two fields and their shape check. Customers paste the
// company domain in every form BambooHR shows it (`acme`, `acme.bamboohr.com`,
// the login URL, even the API gateway URL): all are reduced to the subdomain.
import type { CredentialSpec } from '../connector';
import { credentialInput, credentialText, type CredentialFieldError } from '../credential-fields';
import type { BambooCredentials } from './types';

/** A DNS label: what BambooHR's subdomains are. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `acme`, `ACME.bamboohr.com`, `https://acme.bamboohr.com/home`, or
 * `https://api.bamboohr.com/api/gateway.php/acme/v1` → `acme`; null when the
 * input names no BambooHR company.
 */
export function normalizeCompanyDomain(input: string): string | null {
  let s = input.trim().toLowerCase();
  if (s === '') return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(s) || s.includes('/')) {
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(s) ? s : `https://${s}`);
    } catch {
      return null;
    }
    const gateway = /^\/api\/gateway\.php\/([^/]+)/.exec(url.pathname);
    if (url.hostname === 'api.bamboohr.com') return gateway && LABEL.test(gateway[1]) ? gateway[1] : null;
    s = url.hostname;
  }
  if (s.endsWith('.bamboohr.com')) s = s.slice(0, -'.bamboohr.com'.length);
  return LABEL.test(s) && s !== 'api' && s !== 'www' ? s : null;
}

export const bamboohrCredentials: CredentialSpec<BambooCredentials> = {
  fields: [
    {
      key: 'companyDomain',
      label: { en: 'Company domain', de: 'Firmen-Domain' },
      secret: false,
      maxLength: 253,
      help: {
        en: 'The part before .bamboohr.com in the address you log in at, e.g. "acme" for acme.bamboohr.com',
        de: 'Der Teil vor .bamboohr.com in der Adresse, unter der Sie sich anmelden, z. B. „acme“ für acme.bamboohr.com',
      },
    },
    {
      key: 'apiKey',
      label: { en: 'API key', de: 'API-Schlüssel' },
      secret: true,
      maxLength: 200,
      help: {
        en: 'Shown once when the key is created (your name › API Keys)',
        de: 'Wird einmal angezeigt, wenn der Schlüssel erstellt wird (Ihr Name › API-Schlüssel)',
      },
    },
  ],
  validate(input) {
    const o = credentialInput(input);
    const errors: CredentialFieldError[] = [];
    const rawDomain = credentialText(o, 'companyDomain', errors, {
      missing: 'Enter your BambooHR company domain (e.g. "acme" for acme.bamboohr.com)',
      malformed: 'This does not look like a BambooHR company domain; enter e.g. "acme" or "acme.bamboohr.com"',
      looksRight: (v) => normalizeCompanyDomain(v) !== null && v.length <= 253,
    });
    const apiKey = credentialText(o, 'apiKey', errors, {
      missing: 'Enter the API key you created in BambooHR',
      malformed: 'This does not look like a BambooHR API key',
      looksRight: (v) => !/\s/.test(v) && v.length <= 200 && v.length >= 8,
    });
    const companyDomain = rawDomain ? normalizeCompanyDomain(rawDomain) : null;
    return errors.length || companyDomain === null ? { ok: false, errors } : { ok: true, value: { companyDomain, apiKey } };
  },
};
