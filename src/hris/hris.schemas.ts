import type { SchemaObject } from 'openapi3-ts/oas31';
import { FIELD_KINDS } from '../../connectors/connector';
import { arrayOf, dateTime, enumOf, ndateTime, nstr, nullable, obj, objRequiringAllBut, str } from '../openapi/schemas';
import { EMPLOYMENT_STATUSES, GROUP_TYPES } from './list-query.dto';

/** Response shapes of the HRIS read endpoints, written from Kombo's public schema. */
const anyObj: SchemaObject = { type: ['object', 'null'] };
const nnum = (description?: string): SchemaObject => ({ type: ['number', 'null'], format: 'double', ...(description ? { description } : {}) });
/** Kombo's enums pass an unmappable source string through. */
const openEnum = (values: readonly string[], description: string): SchemaObject => ({
  anyOf: [enumOf(values), { type: 'string' }, { type: 'null' }],
  description,
});

const GENDERS = ['MALE', 'FEMALE', 'NON_BINARY', 'NOT_SPECIFIED'];
const ETHNICITIES = [
  'WHITE',
  'ASIAN',
  'HISPANIC_LATINO',
  'HAWAIIAN',
  'NATIVE_AMERICAN',
  'BLACK_AFRICAN_AMERICAN',
  'MULTIPLE_ETHNICITIES',
  'DECLINE_TO_SPECIFY',
];
const MARITAL = ['SINGLE', 'MARRIED', 'DOMESTIC_PARTNERSHIP', 'WIDOWED', 'DIVORCED', 'SEPARATED', 'NOT_MARRIED'];
const EMPLOYMENT_TYPES = ['FULL_TIME', 'PART_TIME', 'CONTRACT', 'INTERNSHIP', 'FREELANCE', 'WORKING_STUDENT', 'APPRENTICESHIP', 'TRAINING'];
const PAY_PERIODS = ['HOUR', 'DAY', 'WEEK', 'TWO_WEEKS', 'HALF_MONTH', 'MONTH', 'TWO_MONTHS', 'QUARTER', 'HALF_YEAR', 'YEAR'];
const PAY_FREQUENCIES = ['DAILY', 'WEEKLY', 'BIWEEKLY', 'MONTHLY', 'SEMIMONTHLY', 'QUARTERLY', 'SEMIANNUALLY', 'ANNUALLY', 'PRO_RATA'];

export const addressSchema: SchemaObject = nullable(
  obj(
    {
      city: nstr(),
      country: nstr('ISO 3166-1 alpha-2 where possible, else the original value.'),
      raw: nstr(),
      state: nstr(),
      street_1: nstr(),
      street_2: nstr(),
      zip_code: nstr(),
    },
    [],
  ),
);

const common = {
  id: str('The globally unique ID of this object, stable across re-syncs.'),
  changed_at: dateTime('When this record itself last changed.'),
  remote_deleted_at: ndateTime('When the record was found deleted in the remote system.'),
  remote_data: { ...anyObj, description: 'Raw data from the remote system, keyed by API path. Null unless enabled for the integration.' },
};

export const integrationFieldValueSchema = obj({ id: str(), key: str(), type: enumOf(FIELD_KINDS), value: {}, label: nstr() }, ['id', 'key', 'type', 'label']);
const customFields: SchemaObject = { ...anyObj, description: "The environment's custom fields, keyed by their key." };

export const employmentSchema = obj(
  {
    id: common.id,
    remote_id: nstr(),
    employee_id: str(),
    job_title: nstr(),
    pay_rate: nnum(),
    pay_period: openEnum(PAY_PERIODS, 'Pay period.'),
    pay_frequency: openEnum(PAY_FREQUENCIES, 'Pay frequency.'),
    employment_type: openEnum(EMPLOYMENT_TYPES, 'Employment type.'),
    pay_currency: nstr('ISO 4217 where possible.'),
    effective_date: ndateTime(),
    changed_at: common.changed_at,
    remote_deleted_at: common.remote_deleted_at,
    remote_data: common.remote_data,
    custom_fields: customFields,
    integration_fields: arrayOf(integrationFieldValueSchema),
  },
  [
    'id',
    'remote_id',
    'employee_id',
    'job_title',
    'pay_rate',
    'pay_currency',
    'effective_date',
    'changed_at',
    'remote_deleted_at',
    'remote_data',
    'custom_fields',
    'integration_fields',
  ],
);

const groupRef = obj({ id: str(), remote_id: str(), name: nstr(), type: nullable(enumOf(GROUP_TYPES)) });

export const employeeSchema = objRequiringAllBut(
  {
    id: common.id,
    remote_id: str(),
    employee_number: nstr(),
    first_name: nstr(),
    last_name: nstr(),
    nationality: nstr(),
    display_full_name: nstr(),
    job_title: nstr(),
    work_email: nstr(),
    personal_email: nstr(),
    mobile_phone_number: nstr(),
    ssn: nstr(),
    tax_id: nstr(),
    gender: openEnum(GENDERS, 'Gender.'),
    ethnicity: openEnum(ETHNICITIES, 'Ethnicity.'),
    marital_status: openEnum(MARITAL, 'Marital status.'),
    employment_status: openEnum(EMPLOYMENT_STATUSES, 'Employment status.'),
    employment_type: openEnum(EMPLOYMENT_TYPES, 'Employment type.'),
    weekly_hours: nnum(),
    avatar: nstr(),
    work_location_id: nstr(),
    legal_entity_id: nstr(),
    manager_id: nstr(),
    home_address: addressSchema,
    bank_accounts: nullable(
      arrayOf(obj({ iban: nstr(), bic: nstr(), account_number: nstr(), holder_name: nstr(), bank_name: nstr(), domestic_bank_routing: anyObj }, [])),
    ),
    date_of_birth: ndateTime(),
    start_date: ndateTime(),
    termination_date: ndateTime(),
    remote_created_at: ndateTime(),
    changed_at: common.changed_at,
    remote_deleted_at: common.remote_deleted_at,
    custom_fields: customFields,
    integration_fields: arrayOf(integrationFieldValueSchema),
    remote_data: common.remote_data,
    employments: arrayOf(employmentSchema),
    time_off_balances: arrayOf({ type: 'object', description: 'Not provided by this gateway: always empty.' }),
    manager: nullable(
      obj(
        {
          first_name: nstr(),
          last_name: nstr(),
          display_full_name: nstr(),
          id: str(),
          employee_number: nstr(),
          work_email: nstr(),
          remote_id: str(),
          employment_status: openEnum(EMPLOYMENT_STATUSES, 'Employment status.'),
          termination_date: ndateTime(),
        },
        ['first_name', 'last_name', 'display_full_name', 'id', 'employee_number', 'remote_id', 'termination_date'],
      ),
    ),
    groups: arrayOf(groupRef),
    teams: { ...arrayOf(groupRef), deprecated: true, description: '**(⚠️ Deprecated)** Same as `groups`.' },
    legal_entity: nullable(obj({ id: str(), remote_id: nstr(), name: nstr(), address: addressSchema }, ['id', 'remote_id', 'name'])),
    work_location: nullable(
      obj(
        {
          id: str(),
          remote_id: nstr(),
          name: nstr(),
          address: addressSchema,
          type: nstr(),
          changed_at: dateTime(),
          remote_deleted_at: ndateTime(),
          remote_data: anyObj,
        },
        ['id', 'remote_id', 'name', 'type', 'changed_at', 'remote_deleted_at', 'remote_data'],
      ),
    ),
  },
  // Kombo leaves these nine optional; every other field is required.
  ['work_email', 'personal_email', 'gender', 'ethnicity', 'marital_status', 'employment_status', 'employment_type', 'home_address', 'bank_accounts'],
);

export const groupSchema = obj({
  id: common.id,
  remote_id: str(),
  name: nstr(),
  changed_at: common.changed_at,
  remote_deleted_at: common.remote_deleted_at,
  type: nullable(enumOf(GROUP_TYPES)),
  parent_id: nstr(),
  remote_data: common.remote_data,
});

export const legalEntitySchema = obj(
  {
    id: common.id,
    remote_id: nstr(),
    name: nstr(),
    address: addressSchema,
    changed_at: common.changed_at,
    remote_deleted_at: common.remote_deleted_at,
    remote_data: common.remote_data,
  },
  ['id', 'remote_id', 'name', 'changed_at', 'remote_deleted_at', 'remote_data'],
);

export const locationSchema = obj(
  {
    id: common.id,
    remote_id: nstr(),
    name: nstr(),
    address: addressSchema,
    type: nstr(),
    changed_at: common.changed_at,
    remote_deleted_at: common.remote_deleted_at,
    remote_data: common.remote_data,
  },
  ['id', 'remote_id', 'name', 'type', 'changed_at', 'remote_deleted_at', 'remote_data'],
);

export const documentCategorySchema = obj({
  id: common.id,
  remote_id: nstr(),
  name: nstr(),
  remote_data: common.remote_data,
  changed_at: common.changed_at,
  remote_deleted_at: common.remote_deleted_at,
});

/** Kombo's list envelope: `next` is null on the last page. */
export const pageOf = (item: SchemaObject): SchemaObject => obj({ next: nstr('Cursor for the next page; null on the last page.'), results: arrayOf(item) });
