/**
 * Name pools with umlauts, accents and other non-ASCII letters on purpose: the connector
 * and the gateway must carry them through untouched, and emails must be transliterated.
 */
export const FIRST_NAMES_FEMALE = [
  'Anna',
  'Lena',
  'Sophie',
  'Zoë',
  'Chloé',
  'Renée',
  'Anaïs',
  'Åsa',
  'Małgorzata',
  'Gülşen',
  'Léa',
  'Marie',
  'Hannah',
  'Emilia',
  'Björk',
  'Inès',
  'Zsófia',
  'Ana',
  'María',
  'Lucía',
  'Elif',
  'Ayşe',
  'Nora',
  'Ingrid',
  'Sinéad',
  'Hélène',
  'Mia',
  'Greta',
  'Jördis',
  'Kübra',
] as const;

export const FIRST_NAMES_MALE = [
  'Jürgen',
  'Jörg',
  'José',
  'François',
  'Søren',
  'Ümit',
  'Björn',
  'Łukasz',
  'Göran',
  'Miloš',
  'Alexander',
  'Maximilian',
  'Lukas',
  'Felix',
  'Jonas',
  'Paul',
  'Noah',
  'Elias',
  'Raphaël',
  'Andrés',
  'Çağlar',
  'Tomáš',
  'Oğuz',
  'Stéphane',
  'Jean-Luc',
  'Håkon',
  'Ole',
  'Niklas',
  'Emre',
  'Matthäus',
] as const;

export const FIRST_NAMES_DIVERSE = ['Alex', 'Kim', 'Robin', 'Sascha', 'Noa', 'Luca', 'Mika', 'Charlie'] as const;

export const LAST_NAMES = [
  'Müller',
  'Schäfer',
  'Größmann',
  'Weiß',
  'Núñez',
  'García',
  'Ødegaard',
  'Dvořák',
  'Lefèvre',
  'Öztürk',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Meyer',
  'Wagner',
  'Becker',
  'Hoffmann',
  'Schulz',
  'Koch',
  'Richter',
  'Bergmann',
  'Krüger',
  'Böhm',
  'Jäger',
  'Peña',
  'Muñoz',
  'Brontë',
  'Wójcik',
  'Nowak',
  'Kovačević',
  'de la Cruz',
  'van der Berg',
  "O'Connor",
  'Łęcki',
  'Häkkinen',
  'Çelik',
  'Šimić',
  'Lindqvist',
  'Åberg',
  'Dubois',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Hofmann',
  'Hartmann',
  'Lange',
  'Schmitt',
  'Werner',
] as const;

const TRANSLIT: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  å: 'a',
  ł: 'l',
  đ: 'd',
  ı: 'i',
};

/** "Jürgen Größmann" → "juergen.groessmann", as HR admins typically type emails. */
export function emailLocalPart(first: string, last: string): string {
  return `${slug(first)}.${slug(last)}`;
}

const slugCache = new Map<string, string>();

function slug(s: string): string {
  let cached = slugCache.get(s);
  if (cached === undefined) {
    cached = computeSlug(s);
    if (slugCache.size < 10_000) slugCache.set(s, cached);
  }
  return cached;
}

function computeSlug(s: string): string {
  const lowered = s.toLowerCase().replace(/[äöüßæøåłđı]/g, (c) => TRANSLIT[c] ?? c);
  return lowered
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
