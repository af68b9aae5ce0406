/**
 * List rows: generation from a scenario's `contacts.generate` rules (each row from its own
 * sub-stream, `gen:<index>`, so appending rows never changes earlier ones) and normalisation of
 * uploaded or explicit rows into the engine's Contact.
 */
import type { Faker } from '@faker-js/faker';
import { deriveSeed } from '../core/random.ts';
import type { Business, GenerateSpec, ValueSpec } from '../scenario/types.ts';
import type { ContactInput } from './types.ts';
import type { LocaleProfile } from './locale-profile.ts';
import { drawSpan, span } from './model.ts';
import { createDraw, type Draw } from './rng.ts';
import type { TimeFormatter } from './time-format.ts';

/** A row as the engine uses it (every vendor string field present). */
export interface Contact {
  index: number;
  numbers: string[];
  case_id: string;
  customer_name: string;
  gender: string;
  platform: string;
  extra_a: string;
  extra_b: string;
  extra_c: string;
  comments: string;
  borrowed_date?: string;
  due_date?: string;
  borrowed_amount?: string;
  total_owing_amount?: string;
  currency_unit?: string;
  variables: Record<string, string>;
  detail_source: string;
}

export function normalizeContact(row: ContactInput, index: number, detailSource = 'api'): Contact {
  const numbers = Array.isArray(row.callee) ? [...row.callee] : [row.callee];
  if (numbers.length === 0) throw new Error(`contact ${index} has no callee number`);
  const c: Contact = {
    index,
    numbers,
    case_id: row.case_id ?? '',
    customer_name: row.customer_name ?? '',
    gender: row.gender ?? '',
    platform: row.platform ?? '',
    extra_a: row.extra_a ?? '',
    extra_b: row.extra_b ?? '',
    extra_c: row.extra_c ?? '',
    comments: row.comments ?? '',
    variables: { ...(row.variables ?? {}) },
    detail_source: detailSource,
  };
  if (row.borrowed_date !== undefined) c.borrowed_date = row.borrowed_date;
  if (row.due_date !== undefined) c.due_date = row.due_date;
  if (row.borrowed_amount !== undefined) c.borrowed_amount = row.borrowed_amount;
  if (row.total_owing_amount !== undefined) c.total_owing_amount = row.total_owing_amount;
  if (row.currency_unit !== undefined) c.currency_unit = row.currency_unit;
  return c;
}

export const DEFAULT_VARIABLES: Record<Business, Record<string, ValueSpec>> = {
  collection: { name: 'customer_name', amount: 'total_owing_amount', due_date: 'due_date' },
  telemarketing: { name: 'customer_name', product: 'product' },
  ecommerce: { name: 'customer_name', order_id: 'order_id', product: 'product', city: 'city' },
  // The vendor Info Check example's Variables: DoB (MMDD), CURP, name, gender.
  info_check: { DoB: 'dob_mmdd', CURP: 'curp', name: 'first_name', gender: 'gender' },
};

export interface GenerateContext {
  faker: Faker;
  seed: number;
  business: Business;
  profile: LocaleProfile;
  currency: string;
  startTime: number;
  fmt: TimeFormatter;
}

const amount = (n: number): string => n.toFixed(2);
const digitString = (d: Draw, n: number): string => {
  let s = String(d.int(1, 9));
  for (let i = 1; i < n; i++) s += String(d.int(0, 9));
  return s;
};
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letters = (d: Draw, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += LETTERS[d.int(0, 25)];
  return s;
};

/** Generate rows `from` .. `from + count - 1` (indices feed the sub-stream labels). */
export function generateContacts(spec: GenerateSpec, ctx: GenerateContext, from = 0): ContactInput[] {
  const { faker, profile } = ctx;
  const d = createDraw(faker);
  faker.seed(deriveSeed(ctx.seed, 'platform'));
  const platform = spec.platform ?? faker.company.name();
  const prefix = spec.case_id_prefix ?? 'CASE-';
  const width = Math.max(5, String(from + spec.count).length);
  const perContact = span(spec.numbers_per_contact, { min: 1, max: 1 });
  const collection = ctx.business === 'collection';
  const variables = spec.variables ?? DEFAULT_VARIABLES[ctx.business];
  const rows: ContactInput[] = [];
  for (let n = 0; n < spec.count; n++) {
    const i = from + n;
    faker.seed(deriveSeed(ctx.seed, `gen:${i}`));
    const sex = d.chance(0.5) ? 'male' : 'female';
    const first = faker.person.firstName(sex);
    const name = `${first} ${faker.person.lastName(sex)}`;
    const count = Math.max(1, Math.round(drawSpan(d, perContact)));
    const numbers: string[] = [];
    while (numbers.length < count) {
      const num = profile.mobile(d);
      if (!numbers.includes(num)) numbers.push(num);
    }
    const row: ContactInput = {
      callee: count === 1 ? numbers[0]! : numbers,
      case_id: `${prefix}${String(i + 1).padStart(width, '0')}`,
      customer_name: name,
      gender: sex.toUpperCase(),
      platform,
      comments: spec.comments ?? '',
    };
    if (collection) {
      const b = drawSpan(d, span(spec.borrowed_amount, profile.borrowed));
      const borrowed = Math.round(b / 100) * 100 || Math.round(b);
      const owing = Math.round(borrowed * (1 + drawSpan(d, span(spec.interest, { min: 0.05, max: 0.35 }))));
      const ago = Math.round(drawSpan(d, span(spec.borrowed_days_ago, { min: 30, max: 120 })));
      row.borrowed_date = ctx.fmt.dateAfter(ctx.startTime, -ago);
      row.due_date =
        spec.overdue_days !== undefined || spec.due_in_days === undefined
          ? ctx.fmt.dateAfter(
              ctx.startTime,
              -Math.round(drawSpan(d, span(spec.overdue_days, { min: 1, max: 30 }))),
            )
          : ctx.fmt.dateAfter(
              ctx.startTime,
              Math.round(drawSpan(d, span(spec.due_in_days, { min: 0, max: 7 }))),
            );
      row.borrowed_amount = amount(borrowed);
      row.total_owing_amount = amount(owing);
      row.currency_unit = ctx.currency;
    }
    const value = (v: ValueSpec): string => {
      const s = typeof v === 'string' ? { kind: v } : v;
      switch (s.kind) {
        case 'customer_name':
          return name;
        case 'first_name':
          return first;
        case 'gender':
          return sex;
        case 'dob_mmdd': {
          const dob = faker.date.birthdate({ mode: 'age', min: 21, max: 60 });
          return `${String(dob.getUTCMonth() + 1).padStart(2, '0')}${String(dob.getUTCDate()).padStart(2, '0')}`;
        }
        case 'dob':
          return faker.date.birthdate({ mode: 'age', min: 21, max: 60 }).toISOString().slice(0, 10);
        case 'digits':
          return digitString(d, s.length ?? 4);
        case 'curp':
          // CURP shape: 4 letters, birth date YYMMDD, H/M, 5 letters (state + consonants), 2 check chars.
          return `${letters(d, 4)}${digitString(d, 6)}${sex === 'male' ? 'H' : 'M'}${letters(d, 5)}${d.int(0, 9)}${d.int(0, 9)}`;
        case 'nik':
          return digitString(d, 16);
        case 'pan':
          return `${letters(d, 5)}${digitString(d, 4)}${letters(d, 1)}`;
        case 'amount':
          return row.borrowed_amount ?? amount(d.int(profile.borrowed.min, profile.borrowed.max));
        case 'total_owing_amount':
          return row.total_owing_amount ?? amount(d.int(profile.borrowed.min, profile.borrowed.max));
        case 'due_date':
          return row.due_date ?? ctx.fmt.dateAfter(ctx.startTime, d.int(1, 14));
        case 'order_id':
          return `ORD${digitString(d, 10)}`;
        case 'product':
          return faker.commerce.productName();
        case 'city':
          return faker.location.city();
        case 'address':
          return faker.location.streetAddress();
        case 'const':
          return s.value ?? '';
        case 'one_of':
          return s.values && s.values.length > 0 ? d.pick(s.values) : '';
      }
    };
    if (spec.extras?.extra_a) row.extra_a = value(spec.extras.extra_a);
    if (spec.extras?.extra_b) row.extra_b = value(spec.extras.extra_b);
    if (spec.extras?.extra_c) row.extra_c = value(spec.extras.extra_c);
    const vars: Record<string, string> = {};
    for (const [k, v] of Object.entries(variables)) vars[k] = value(v);
    row.variables = vars;
    rows.push(row);
  }
  return rows;
}
