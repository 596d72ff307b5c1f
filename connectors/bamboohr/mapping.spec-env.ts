// Spec-only (left out of the build like every *.spec-env.ts).
// Shared fixtures of the BambooHR mapping specs: a fixed "now", the account's list fields
// (with archived options) and one full get-employee record.
import { OrgIndex } from './org';
import type { BambooEmployee, BambooListField } from './types';

export const NOW = new Date('2026-06-15T10:00:00Z');
export const TODAY = '2026-06-15T00:00:00.000Z';
export const LISTS: BambooListField[] = [
  {
    fieldId: 4,
    alias: 'department',
    options: [
      { id: '14', name: 'Sales', archived: 'no' },
      { id: '15', name: 'Old Sales', archived: 'yes' },
      { id: '16', name: 'Engineering', archived: 'no' },
    ],
  },
  { fieldId: 5, alias: 'division', options: [{ id: 3, name: 'DACH', archived: 'no' }] },
  {
    fieldId: 6,
    alias: 'location',
    options: [
      { id: '18', name: 'Munich', archived: 'no' },
      { id: '19', name: 'Berlin', archived: 'yes' },
    ],
  },
  { fieldId: 7, alias: 'jobTitle', options: [{ id: '1', name: 'Sales Manager' }] },
];
export const org = new OrgIndex(LISTS);
export const ctx = { now: NOW, org };

export const lena: BambooEmployee = {
  id: '133',
  employeeNumber: '1042',
  firstName: 'Lena',
  lastName: 'Huber',
  preferredName: '',
  workEmail: 'Lena.Huber@Example.DE',
  homeEmail: 'not-an-email',
  jobTitle: 'Sales Manager',
  department: 'Sales',
  division: 'DACH',
  location: 'Munich',
  status: 'Active',
  employmentHistoryStatus: 'Full-Time',
  hireDate: '2021-04-01',
  terminationDate: '0000-00-00',
  dateOfBirth: '1990-02-28',
  gender: 'Female',
  maritalStatus: 'Married',
  ethnicity: 'Asian',
  mobilePhone: '+49 170 1',
  standardHoursPerWeek: '40',
  photoUrl: 'https://cdn.example/p/133.jpg',
  photoUploaded: true,
  address1: 'Leopoldstr. 1',
  address2: '',
  city: 'München',
  state: 'Bayern',
  zipcode: '80802',
  country: 'Germany',
  customShirtSize: 'M',
  '4388': 'DE-7788',
  customStart: '2024-01-31',
};
