import { IncomingMessage } from 'node:http';
import { FIELD_CATALOGUE } from './company';
import { Reply, error, json, negotiated } from './http';
import { TABLES, TABLE_COLUMNS } from './model';
import { SandboxState } from './state';

const yn = (b: boolean) => (b ? 'yes' : 'no');

/** `GET /api/v1/meta/fields` (NOTES §4.6). */
export function metaFields(state: SandboxState, req: IncomingMessage): Reply {
  const body = FIELD_CATALOGUE.map((f) => ({ ...f }));
  return negotiated(req, state.switches, body, () => ({
    name: 'fields',
    children: body.map((f) => ({ name: 'field', attrs: { id: f.id, type: f.type, alias: f.alias, deprecated: f.deprecated }, text: f.name })),
  }));
}

/** `GET /api/v1/meta/lists` (`?format=json` also selects JSON). */
export function metaLists(state: SandboxState, req: IncomingMessage, query: URLSearchParams): Reply {
  const body = state.lists.map((l) => ({
    fieldId: String(l.fieldId),
    name: l.name,
    alias: l.alias,
    manageable: yn(l.manageable),
    multiple: yn(l.multiple),
    options: l.options.map((o) => ({ id: o.id, name: o.name, archived: yn(o.archived), createdDate: o.createdDate, archivedDate: o.archivedDate })),
  }));
  return negotiated(
    req,
    state.switches,
    body,
    () => ({
      name: 'lists',
      children: body.map((l) => ({
        name: 'list',
        attrs: { fieldId: l.fieldId, alias: l.alias, manageable: l.manageable, multiple: l.multiple },
        children: [
          { name: 'name', text: l.name },
          {
            name: 'options',
            children: l.options.map((o) => ({
              name: 'option',
              attrs: { id: o.id, archived: o.archived, createdDate: o.createdDate, archivedDate: o.archivedDate },
              text: o.name,
            })),
          },
        ],
      })),
    }),
    200,
    query,
  );
}

const TABLE_FIELD_TYPES: Record<string, string> = { date: 'date', startDate: 'date', rate: 'currency', comment: 'textarea' };

/** `GET /api/v1/meta/tables`. */
export function metaTables(state: SandboxState, req: IncomingMessage): Reply {
  let id = 5000;
  const body = TABLES.map((t) => ({
    alias: t,
    fields: TABLE_COLUMNS[t].map((c) => ({
      id: id++,
      name: c
        .replace(/([A-Z])/g, ' $1')
        .replace(/^./, (s) => s.toUpperCase())
        .replace(/ Id$/, ''),
      alias: c,
      type: TABLE_FIELD_TYPES[c] ?? (c === 'reportsTo' ? 'employee' : 'list'),
    })),
  }));
  return negotiated(req, state.switches, body, () => ({
    name: 'tables',
    children: body.map((t) => ({
      name: 'table',
      attrs: { alias: t.alias },
      children: t.fields.map((f) => ({ name: 'field', attrs: { id: f.id, alias: f.alias, type: f.type }, text: f.name })),
    })),
  }));
}

/**
 * `GET /api/v1/hris/org/locations` (NOTES §4.7): 0-based pages, active locations unless the
 * filter asks for archived ones; only `archived eq true|false` and `id eq '…'` filters are modelled.
 */
export function orgLocations(state: SandboxState, query: URLSearchParams): Reply {
  const problem = (detail: string) => error('problem', state.switches, 422, detail, {}, 'INVALID_INPUT');
  const page = Number(query.get('page') ?? '0');
  const pageSize = Number(query.get('pageSize') ?? '500');
  if (!Number.isInteger(page) || page < 0) return problem('page must be a non-negative integer');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) return problem('pageSize must be between 1 and 1000');
  const expand = (query.get('expand') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const x of expand) if (x !== 'state' && x !== 'country') return problem(`cannot expand ${x}`);
  const filter = (query.get('filter') ?? '').trim();
  let list = state.locations.filter((l) => !l.archived);
  if (filter) {
    let m: RegExpExecArray | null;
    if ((m = /^archived eq (true|false)$/.exec(filter))) list = state.locations.filter((l) => l.archived === (m![1] === 'true'));
    else if ((m = /^id eq '?([^']+)'?$/.exec(filter))) list = state.locations.filter((l) => l.id === m![1]);
    else return problem(`unsupported filter: ${filter}`);
  }
  const totalItems = list.length;
  const data = list.slice(page * pageSize, (page + 1) * pageSize).map((l) => {
    const address: Record<string, unknown> = {
      address1: l.address1,
      address2: l.address2,
      city: l.city,
      stateId: l.state?.id ?? null,
      zipcode: l.zipcode,
      countryId: l.country?.id ?? null,
      timezone: l.timezone,
      remoteLocation: l.remote,
    };
    if (expand.includes('state') && l.state) address.state = { ...l.state };
    if (expand.includes('country') && l.country) address.country = { ...l.country };
    return { id: l.id, label: l.label, archived: l.archived, manageable: true, address, createdAt: l.createdAt, archivedAt: l.archivedAt };
  });
  const totalPages = Math.max(1, Math.ceil(totalItems / pageSize));
  const links: Record<string, { href: string }> = {};
  if (page + 1 < totalPages) links.next = { href: `/api/v1/hris/org/locations?page=${page + 1}&pageSize=${pageSize}` };
  if (page > 0) links.prev = { href: `/api/v1/hris/org/locations?page=${page - 1}&pageSize=${pageSize}` };
  return json(200, { data, meta: { page, pageSize, totalPages, totalItems }, _links: links });
}

/** `GET /api/v1/company_information` (NOTES §4.8). */
export function companyInformation(state: SandboxState): Reply {
  const name = state.options.company.replace(/^./, (c) => c.toUpperCase());
  return json(200, {
    legalName: `${name} GmbH`,
    displayName: name,
    address: { line1: 'Leopoldstraße 1', line2: '', city: 'München', state: 'BY', zip: '80802' },
    phone: '+49 89 1234567',
  });
}
