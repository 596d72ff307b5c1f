// What the connect page shows for Personio, and the gateway settings Personio
// needs: the connector's half of the connect page and of the configuration.
import type { ConnectInfo, Requirement, ToolSetting } from '../connector';

const attribute = (key: string, en: string, de: string, whyEn: string, whyDe: string): Requirement => ({
  kind: 'attribute', key, label: { en, de }, why: { en: whyEn, de: whyDe },
});

/** Attributes the mapping reads, with Personio's own label (what the admin sees in Personio). */
export const PERSONIO_REQUIREMENTS: Requirement[] = [
  attribute('first_name', 'First name', 'Vorname', 'employee names', 'Namen der Mitarbeitenden'),
  attribute('last_name', 'Last name', 'Nachname', 'employee names', 'Namen der Mitarbeitenden'),
  attribute('email', 'Email', 'E-Mail', 'work email, used to match users', 'geschäftliche E-Mail, um Nutzer zuzuordnen'),
  attribute('position', 'Position', 'Position', 'job title', 'Stellenbezeichnung'),
  attribute('subcompany', 'Subcompany', 'Firma', 'legal entity', 'Gesellschaft'),
  attribute('department', 'Department', 'Abteilung', 'department groups', 'Abteilungsgruppen'),
  attribute('office', 'Office', 'Standort', 'work location', 'Arbeitsort'),
  attribute('team', 'Team', 'Team', 'team groups', 'Teamgruppen'),
  attribute('gender', 'Gender', 'Geschlecht', 'gender', 'Geschlecht'),
  attribute('employment_type', 'Employment type', 'Beschäftigungsart', 'internal/external employment type', 'interne/externe Beschäftigung'),
  attribute('hire_date', 'Hire date', 'Eintrittsdatum', 'start date and whether someone has started yet', 'Eintrittsdatum und ob jemand schon begonnen hat'),
  attribute('termination_date', 'Termination date', 'Kündigungsdatum', 'end of employment', 'Ende der Beschäftigung'),
  attribute('last_working_day', 'Last day of work', 'Letzter Arbeitstag', 'end of employment', 'Ende der Beschäftigung'),
  attribute('status', 'Status', 'Status', 'employment status', 'Beschäftigungsstatus'),
  attribute('supervisor', 'Supervisor', 'Vorgesetzte:r', 'manager', 'Vorgesetzte:r'),
  attribute('cost_centers', 'Cost center', 'Kostenstelle', 'cost center groups', 'Kostenstellengruppen'),
  attribute('weekly_working_hours', 'Weekly hours', 'Wochenstunden', 'weekly hours and full/part time', 'Wochenstunden und Voll-/Teilzeit'),
  attribute('last_modified_at', 'Last modified', 'Zuletzt geändert', 'fast incremental syncs', 'schnelle inkrementelle Synchronisierung'),
  {
    kind: 'permission', key: 'documents:write', optional: true,
    label: { en: 'Documents: read & write', de: 'Dokumente: lesen & schreiben' },
    why: {
      en: 'These API credentials may not upload documents, so certificates cannot be stored in Personio. Allow "Documents: read & write" if your learning platform should store them.',
      de: 'Diese API-Zugangsdaten dürfen keine Dokumente hochladen; Zertifikate können nicht in Personio abgelegt werden. Erlauben Sie „Dokumente: lesen & schreiben“, wenn Ihre Lernplattform sie ablegen soll.',
    },
  },
  {
    kind: 'permission', key: 'documents:read', optional: true,
    label: { en: 'Documents: read & write', de: 'Dokumente: lesen & schreiben' },
    why: {
      en: 'These API credentials may not read document categories, so no category can be chosen for certificates. Allow "Documents: read & write" if your learning platform should store them.',
      de: 'Diese API-Zugangsdaten dürfen keine Dokumentkategorien lesen; für Zertifikate kann keine Kategorie gewählt werden. Erlauben Sie „Dokumente: lesen & schreiben“, wenn Ihre Lernplattform sie ablegen soll.',
    },
  },
];

export const PERSONIO_CONNECT: ConnectInfo = {
  guide: {
    title: { en: 'Create API credentials in Personio', de: 'API-Zugangsdaten in Personio anlegen' },
    steps: [
      { text: { en: 'In Personio, open Settings › Integrations › API credentials.', de: 'Öffnen Sie in Personio Einstellungen › Integrationen › API-Zugangsdaten.' } },
      { text: { en: 'Click "Generate new credential" and create a custom integration, for example named "Learning platform".', de: 'Klicken Sie auf „Neue Zugangsdaten generieren“ und legen Sie eine eigene Integration an, z. B. „Lernplattform“.' } },
      { text: { en: 'Give it read access to employee data (Personnel data: read).', de: 'Geben Sie ihr Lesezugriff auf Mitarbeiterdaten (Personaldaten: lesen).' } },
      { text: { en: 'If certificates should be stored in Personio: allow "Documents: read & write".', de: 'Wenn Zertifikate in Personio abgelegt werden sollen: erlauben Sie „Dokumente: lesen & schreiben“.' } },
      { text: { en: 'Under readable employee attributes, tick:', de: 'Wählen Sie bei den lesbaren Mitarbeiterattributen aus:' }, listRequirements: true },
      { text: { en: 'Save, then copy the client ID and the client secret into the fields below.', de: 'Speichern Sie und kopieren Sie Client-ID und Client-Secret in die Felder unten.' } },
    ],
  },
  requirements: PERSONIO_REQUIREMENTS,
  missingHint: {
    en: 'Change the API credentials in Personio (Settings › Integrations › API credentials), then click "Test again". You do not need to enter the secret again.',
    de: 'Ändern Sie die API-Zugangsdaten in Personio (Einstellungen › Integrationen › API-Zugangsdaten) und klicken Sie dann auf „Erneut testen“. Das Secret müssen Sie nicht erneut eingeben.',
  },
};

export const PERSONIO_SETTINGS: ToolSetting[] = [
  { key: 'baseUrl', env: 'PERSONIO_BASE_URL', kind: 'url', description: 'Personio API origin for integrations without their own base URL (point it at the simulator in development).' },
  { key: 'partnerId', env: 'PERSONIO_PARTNER_ID', kind: 'string', description: 'Sent as X-Personio-Partner-ID on every Personio request.' },
  { key: 'appId', env: 'PERSONIO_APP_ID', kind: 'string', description: 'Sent as X-Personio-App-ID on every Personio request.' },
];

/** Personio allows 60 uploads/min per credential; 55 leaves room for the client's own 429/503 retries. */
export const PERSONIO_UPLOAD_RATE = { perWindow: 55, windowMs: 60_000 };

/** Personio's own attributes are named; the company's custom ones are `dynamic_<n>`. */
export const personioFieldKind = (key: string): 'DEFAULT' | 'CUSTOM' => (key.startsWith('dynamic_') ? 'CUSTOM' : 'DEFAULT');
