// What the connect page shows for BambooHR and the gateway settings it reads.
// A BambooHR API key sees what its creator's access level sees (NOTES §3.2),
// so requirements are the fields and tools that access level must include.
import type { ConnectInfo, Localized, Requirement, ToolSetting } from '../connector';

const attribute = (key: string, en: string, de: string, whyEn: string, whyDe: string, optional = false): Requirement => ({
  kind: 'attribute', key, label: { en, de }, why: { en: whyEn, de: whyDe }, ...(optional ? { optional } : {}),
});
const permission = (key: string, label: Localized, why: Localized): Requirement => ({ kind: 'permission', key, label, why, optional: true });

/**
 * Keys are BambooHR field aliases (what get-employee and `_restrictedFields`
 * name), `reportsTo` for the manager (list field `reportsToId`), and `table:…`,
 * `files`, `training`, `changes`, `webhooks` for what check() probes beyond fields.
 */
export const BAMBOOHR_REQUIREMENTS: Requirement[] = [
  attribute('firstName', 'First Name', 'Vorname', 'employee names', 'Namen der Mitarbeitenden'),
  attribute('lastName', 'Last Name', 'Nachname', 'employee names', 'Namen der Mitarbeitenden'),
  attribute('workEmail', 'Work Email', 'E-Mail (geschäftlich)', 'work email, used to match users', 'geschäftliche E-Mail, um Nutzer zuzuordnen'),
  attribute('status', 'Status', 'Status', 'employment status', 'Beschäftigungsstatus'),
  attribute('hireDate', 'Hire Date', 'Einstellungsdatum', 'start date and whether someone has started yet', 'Eintrittsdatum und ob jemand schon begonnen hat'),
  attribute('terminationDate', 'Termination Date', 'Kündigungsdatum', 'end of employment', 'Ende der Beschäftigung'),
  attribute('jobTitle', 'Job Title', 'Stellenbezeichnung', 'job title', 'Stellenbezeichnung'),
  attribute('department', 'Department', 'Abteilung', 'department groups', 'Abteilungsgruppen'),
  attribute('location', 'Location', 'Standort', 'work location', 'Arbeitsort'),
  attribute('employmentHistoryStatus', 'Employment Status', 'Beschäftigungsstatus (Historie)', 'full/part time and terminations', 'Voll-/Teilzeit und Austritte'),
  attribute('division', 'Division', 'Bereich', 'division groups', 'Bereichsgruppen', true),
  attribute('reportsTo', 'Reports To', 'Vorgesetzte:r', 'manager', 'Vorgesetzte:r', true),
  attribute('employeeNumber', 'Employee #', 'Personalnummer', 'employee number', 'Personalnummer', true),
  attribute('gender', 'Gender', 'Geschlecht', 'gender', 'Geschlecht', true),
  attribute('dateOfBirth', 'Birth Date', 'Geburtsdatum', 'date of birth', 'Geburtsdatum', true),
  permission('table:jobInfo', { en: 'Job Information (history)', de: 'Stelleninformationen (Historie)' }, {
    en: 'Without the job information history, job title, department and location are today\'s values only and employments carry no history.',
    de: 'Ohne die Historie der Stelleninformationen gibt es nur die heutigen Werte für Stelle, Abteilung und Standort und keine Beschäftigungshistorie.',
  }),
  permission('table:employmentStatus', { en: 'Employment Status (history)', de: 'Beschäftigungsstatus (Historie)' }, {
    en: 'Without the employment status history, full/part time and leave are read from today\'s value only.',
    de: 'Ohne die Historie des Beschäftigungsstatus werden Voll-/Teilzeit und Abwesenheit nur aus dem heutigen Wert gelesen.',
  }),
  permission('table:compensation', { en: 'Compensation', de: 'Vergütung' }, {
    en: 'Without compensation, employments carry no pay rate, period or frequency.',
    de: 'Ohne Vergütung haben Beschäftigungen keinen Lohnsatz, Zeitraum oder Zahlungsrhythmus.',
  }),
  permission('changes', { en: 'Changed employees (API)', de: 'Geänderte Mitarbeitende (API)' }, {
    en: 'Without it every sync reads all employees instead of only the changed ones (slower, same result).',
    de: 'Ohne sie liest jede Synchronisierung alle Mitarbeitenden statt nur der geänderten (langsamer, gleiches Ergebnis).',
  }),
  permission('files', { en: 'Employee files: view & upload', de: 'Mitarbeiterdateien: ansehen & hochladen' }, {
    en: 'Needed to store certificates in the employees\' files in BambooHR.',
    de: 'Nötig, um Zertifikate in den Mitarbeiterdateien in BambooHR abzulegen.',
  }),
  permission('training', { en: 'Training: view & edit', de: 'Schulungen: ansehen & bearbeiten' }, {
    en: 'Needed to record completed courses in the employees\' Training tab in BambooHR.',
    de: 'Nötig, um abgeschlossene Kurse im Reiter „Schulungen“ in BambooHR einzutragen.',
  }),
  permission('webhooks', { en: 'Webhooks', de: 'Webhooks' }, {
    en: 'Without it changes reach the learning platform at the next scheduled sync (every few minutes) instead of within seconds.',
    de: 'Ohne sie erreichen Änderungen die Lernplattform erst mit der nächsten geplanten Synchronisierung (alle paar Minuten) statt innerhalb von Sekunden.',
  }),
];

export const BAMBOOHR_CONNECT: ConnectInfo = {
  guide: {
    title: { en: 'Create an API key in BambooHR', de: 'API-Schlüssel in BambooHR erstellen' },
    steps: [
      {
        text: {
          en: 'Log in to BambooHR as a user whose access level may see all employees (an admin, or a dedicated integration user). The key will see exactly what this user sees.',
          de: 'Melden Sie sich bei BambooHR mit einem Benutzer an, dessen Zugriffsebene alle Mitarbeitenden sehen darf (Admin oder eigener Integrationsbenutzer). Der Schlüssel sieht genau das, was dieser Benutzer sieht.',
        },
      },
      { text: { en: 'Make sure this user\'s access level can view these fields:', de: 'Stellen Sie sicher, dass die Zugriffsebene dieses Benutzers diese Felder sehen darf:' }, listRequirements: true },
      {
        text: {
          en: 'If certificates and completed courses should be stored in BambooHR, the user also needs to upload employee files and edit trainings.',
          de: 'Sollen Zertifikate und abgeschlossene Kurse in BambooHR abgelegt werden, muss der Benutzer außerdem Mitarbeiterdateien hochladen und Schulungen bearbeiten dürfen.',
        },
      },
      { text: { en: 'Click your name in the top right corner and choose "API Keys", then "Add New Key". Name it, for example "Learning platform".', de: 'Klicken Sie oben rechts auf Ihren Namen, wählen Sie „API-Schlüssel“ und dann „Neuen Schlüssel hinzufügen“. Benennen Sie ihn z. B. „Lernplattform“.' } },
      { text: { en: 'Copy the key right away (BambooHR shows it only once) into the field below.', de: 'Kopieren Sie den Schlüssel sofort (BambooHR zeigt ihn nur einmal an) in das Feld unten.' } },
      { text: { en: 'Enter your company domain: the part before .bamboohr.com in the address you log in at.', de: 'Geben Sie Ihre Firmen-Domain ein: den Teil vor .bamboohr.com in der Adresse, unter der Sie sich anmelden.' } },
    ],
  },
  requirements: BAMBOOHR_REQUIREMENTS,
  missingHint: {
    en: 'The key sees what the user who created it sees. In BambooHR, open Settings › Access Levels, give that user\'s access level the missing fields and tools, then click "Test again". The key stays the same.',
    de: 'Der Schlüssel sieht, was der Benutzer sieht, der ihn erstellt hat. Öffnen Sie in BambooHR Einstellungen › Zugriffsebenen, geben Sie der Zugriffsebene dieses Benutzers die fehlenden Felder und Bereiche und klicken Sie dann auf „Erneut testen“. Der Schlüssel bleibt derselbe.',
  },
};

export const BAMBOOHR_SETTINGS: ToolSetting[] = [
  { key: 'baseUrl', env: 'BAMBOOHR_BASE_URL', kind: 'url', description: 'BambooHR API origin for integrations without their own base URL (default https://api.bamboohr.com; point it at the simulator in development). The path /api/gateway.php/{companyDomain}/v1 is added.' },
  { key: 'readStrategy', env: 'BAMBOOHR_READ_STRATEGY', kind: 'string', description: '"report" (default): full reads take every record from one custom report, falling back to one request per employee when BambooHR refuses it; "records": always one request per employee.' },
  { key: 'terminatedStatuses', env: 'BAMBOOHR_TERMINATED_STATUSES', kind: 'string', description: 'Comma-separated BambooHR employment status values that mean the person has left (default "Terminated").' },
  { key: 'leaveStatuses', env: 'BAMBOOHR_LEAVE_STATUSES', kind: 'string', description: 'Comma-separated BambooHR employment status values that mean leave (default "Leave of Absence,Furloughed").' },
  { key: 'divisionGroupType', env: 'BAMBOOHR_DIVISION_GROUP_TYPE', kind: 'string', description: 'Unified group type of BambooHR divisions: empty (untyped, default) or DEPARTMENT.' },
  { key: 'shareDocuments', env: 'BAMBOOHR_SHARE_DOCUMENTS', kind: 'string', description: '"yes" shares uploaded documents with the employee in BambooHR; default "no".' },
  { key: 'certificateCategory', env: 'BAMBOOHR_CERTIFICATE_CATEGORY', kind: 'string', description: 'File category for training certificates sent without one (found or created by name; default "Training Certificates").' },
];
