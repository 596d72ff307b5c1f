import type { Localized } from '../../../connectors/connector';

/**
 * Texts of the hosted connect page. English and German; the other languages
 * Kombo accepts on create-link (fr, it, es) fall back to English.
 */
export type Lang = 'en' | 'de';
export const pageLang = (language: string | null | undefined): Lang => (language === 'de' ? 'de' : 'en');

const en = {
  title: 'Connect {tool}',
  intro:
    '{org}: your learning platform asks for read access to your employee data in {tool}. It creates learner accounts, assigns courses by team, department and office, and closes the accounts of people who leave.',
  relinkIntro:
    '{org}: enter new {tool} API credentials for the existing connection. Its synced data stays as it is; after the test you can review which employees are synced.',
  dataTitle: 'What will be read, and why',
  dataEmployees:
    'Employees: name, work email, position, department, team, office, legal entity, supervisor, gender, employment type and status, hire and termination dates, weekly hours, cost center. Used to create and update learner accounts and to group them.',
  dataChanges: 'Last modified: lets the platform fetch only what changed, every few minutes.',
  dataDocuments: "Documents (optional): training certificates are stored in the employee's file in {tool}.",
  dataNothingElse: 'Nothing else is read; salaries and other attributes stay hidden unless you tick them.',
  secretKept: 'Saved. Leave empty to keep the secret you entered; it is never shown again.',
  test: 'Test connection',
  testAgain: 'Test again',
  otherCredentials: 'Enter different credentials',
  missingTitle: '{tool} accepted the credentials, but they cannot read everything yet:',
  missingAttribute: 'The attribute "{label}" cannot be read (needed for {why}).',
  missingPermission: 'Permission missing: {message}',
  okTitle: 'The connection works.',
  warningsTitle: 'You can finish now. Note:',
  filterTitle: 'Choose which employees to sync',
  filterIntro: 'Only employees that match every group you choose are synced. Leave a group empty to include everyone.',
  filterTruncated: 'Values were read from the first employees only; your company may have more.',
  filterNone: 'No values found.',
  legal_entities: 'Legal entity',
  locations: 'Office',
  departments: 'Department',
  statuses: 'Status',
  employment_types: 'Employment type',
  finish: 'Finish',
  doneTitle: '{tool} is connected',
  doneText: 'Your learning platform now reads your employees. This can take a few minutes. You can close this window.',
  relinkDoneTitle: 'Credentials updated',
  relinkDoneText: 'The connection uses the new credentials from now on. You can close this window.',
  close: 'Close',
  expiredTitle: 'This link has expired',
  expiredText: 'Ask your learning platform for a new link to connect {tool}.',
  usedTitle: 'This link has already been used',
  usedText: 'The connection was set up with this link. To change the credentials, ask your learning platform for a new link.',
  unknownTitle: 'This link is not valid',
  unknownText: 'Check that you copied the whole link, or ask your learning platform for a new one.',
  rateLimited: 'Too many attempts with this link. Please wait {minutes} minutes, then try again.',
  csrf: 'This form has expired. Please reload the page and try again.',
  notVerified: 'Please test the connection first.',
  badFilter: 'One of the chosen values is no longer available. Please choose again.',
  errorTitle: 'Something went wrong',
  errorText: 'Please try again in a moment. If it keeps happening, contact your learning platform.',
  auth: '{tool} did not accept these credentials. Check the values, or create new API credentials in {tool}.',
  enterField: 'Enter the {label}.',
  badField: 'This does not look like a valid {label}.',
  permission: 'These API credentials may not read employees. In {tool}, give them read access to employee data.',
  unreachable: '{tool} could not be reached right now. Please try again in a minute.',
  noscript: 'This page works without JavaScript, but closing it from inside your learning platform needs it.',
};

type Texts = typeof en;

const de: Texts = {
  title: '{tool} verbinden',
  intro:
    '{org}: Ihre Lernplattform bittet um Lesezugriff auf Ihre Mitarbeiterdaten in {tool}. Sie legt damit Lernkonten an, weist Kurse nach Team, Abteilung und Standort zu und schließt die Konten von Personen, die das Unternehmen verlassen.',
  relinkIntro:
    '{org}: Geben Sie neue {tool}-API-Zugangsdaten für die bestehende Verbindung ein. Die synchronisierten Daten bleiben erhalten; nach dem Test können Sie prüfen, welche Mitarbeitenden synchronisiert werden.',
  dataTitle: 'Welche Daten gelesen werden, und wozu',
  dataEmployees:
    'Mitarbeitende: Name, geschäftliche E-Mail, Position, Abteilung, Team, Standort, Firma, Vorgesetzte, Geschlecht, Beschäftigungsart und Status, Eintritts- und Austrittsdatum, Wochenstunden, Kostenstelle. Damit werden Lernkonten angelegt, aktualisiert und gruppiert.',
  dataChanges: 'Zuletzt geändert: damit holt die Plattform alle paar Minuten nur die Änderungen.',
  dataDocuments: 'Dokumente (optional): Schulungszertifikate werden in der Personalakte in {tool} abgelegt.',
  dataNothingElse: 'Sonst wird nichts gelesen; Gehälter und andere Attribute bleiben verborgen, solange Sie sie nicht freigeben.',
  secretKept: 'Gespeichert. Leer lassen, um das eingegebene Secret zu behalten; es wird nie wieder angezeigt.',
  test: 'Verbindung testen',
  testAgain: 'Erneut testen',
  otherCredentials: 'Andere Zugangsdaten eingeben',
  missingTitle: '{tool} hat die Zugangsdaten akzeptiert, aber sie können noch nicht alles lesen:',
  missingAttribute: 'Das Attribut „{label}“ kann nicht gelesen werden (benötigt für: {why}).',
  missingPermission: 'Fehlende Berechtigung: {message}',
  okTitle: 'Die Verbindung funktioniert.',
  warningsTitle: 'Sie können jetzt abschließen. Hinweis:',
  filterTitle: 'Welche Mitarbeitenden sollen synchronisiert werden?',
  filterIntro: 'Synchronisiert werden nur Mitarbeitende, die zu jeder gewählten Gruppe passen. Lassen Sie eine Gruppe leer, um alle einzuschließen.',
  filterTruncated: 'Die Werte stammen nur aus den ersten Mitarbeitenden; es kann weitere geben.',
  filterNone: 'Keine Werte gefunden.',
  legal_entities: 'Firma',
  locations: 'Standort',
  departments: 'Abteilung',
  statuses: 'Status',
  employment_types: 'Beschäftigungsart',
  finish: 'Abschließen',
  doneTitle: '{tool} ist verbunden',
  doneText: 'Ihre Lernplattform liest jetzt Ihre Mitarbeitenden ein. Das kann einige Minuten dauern. Sie können dieses Fenster schließen.',
  relinkDoneTitle: 'Zugangsdaten aktualisiert',
  relinkDoneText: 'Die Verbindung verwendet ab jetzt die neuen Zugangsdaten. Sie können dieses Fenster schließen.',
  close: 'Schließen',
  expiredTitle: 'Dieser Link ist abgelaufen',
  expiredText: 'Bitten Sie Ihre Lernplattform um einen neuen Link, um {tool} zu verbinden.',
  usedTitle: 'Dieser Link wurde bereits verwendet',
  usedText: 'Die Verbindung wurde mit diesem Link eingerichtet. Um die Zugangsdaten zu ändern, bitten Sie Ihre Lernplattform um einen neuen Link.',
  unknownTitle: 'Dieser Link ist ungültig',
  unknownText: 'Prüfen Sie, ob Sie den ganzen Link kopiert haben, oder bitten Sie Ihre Lernplattform um einen neuen.',
  rateLimited: 'Zu viele Versuche mit diesem Link. Bitte warten Sie {minutes} Minuten und versuchen Sie es dann erneut.',
  csrf: 'Dieses Formular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es erneut.',
  notVerified: 'Bitte testen Sie zuerst die Verbindung.',
  badFilter: 'Einer der gewählten Werte ist nicht mehr verfügbar. Bitte wählen Sie erneut.',
  errorTitle: 'Etwas ist schiefgelaufen',
  errorText: 'Bitte versuchen Sie es gleich noch einmal. Wenn der Fehler bleibt, wenden Sie sich an Ihre Lernplattform.',
  auth: '{tool} hat diese Zugangsdaten nicht akzeptiert. Prüfen Sie die Werte oder legen Sie in {tool} neue API-Zugangsdaten an.',
  enterField: 'Geben Sie „{label}“ ein.',
  badField: 'Das sieht nicht nach einem gültigen Wert für „{label}“ aus.',
  permission: 'Diese API-Zugangsdaten dürfen keine Mitarbeitenden lesen. Geben Sie ihnen in {tool} Lesezugriff auf Mitarbeiterdaten.',
  unreachable: '{tool} ist gerade nicht erreichbar. Bitte versuchen Sie es in einer Minute erneut.',
  noscript: 'Diese Seite funktioniert ohne JavaScript, aber das Schließen innerhalb Ihrer Lernplattform benötigt es.',
};

export type TextKey = keyof Texts;
const TEXTS: Record<Lang, Texts> = { en, de };

/** A connector's text (`Localized`) in the page's language, English where it has none. */
export const localized = (lang: Lang, text: Localized): string => text[lang] ?? text.en;

export function t(lang: Lang, key: TextKey, vars: Record<string, string | number> = {}): string {
  return TEXTS[lang][key].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
