import type { Company, CompanyInput, Contact, ContactInput, ContactPoint } from './clientsApi';

/** The spec types `custom` as a free object, which the generator narrows to Record<string, never>. */
type Custom = CompanyInput['custom'];

export interface PointRow {
  label: string;
  raw: string;
}

export interface CompanyValues {
  legal_form: NonNullable<CompanyInput['legal_form']>;
  name: string;
  full_name: string;
  inn: string;
  kpp: string;
  ogrn: string;
  legal_address: string;
  actual_address: string;
  website: string;
  bank_details: { bank_name: string; bik: string; account: string; corr_account: string };
  financial_state: NonNullable<CompanyInput['financial_state']>;
  purchase_volume: number | null;
  payment_discipline: NonNullable<CompanyInput['payment_discipline']>;
  preferences: string;
  notes: string;
  tags: string[];
  phones: PointRow[];
  emails: PointRow[];
  owner_user_id: number | null;
  custom: Record<string, unknown>;
}

export interface ContactValues {
  last_name: string;
  first_name: string;
  middle_name: string;
  birthday: string;
  preferences: string;
  notes: string;
  tags: string[];
  phones: PointRow[];
  emails: PointRow[];
  owner_user_id: number | null;
  custom: Record<string, unknown>;
}

function rows(points: readonly ContactPoint[] | undefined): PointRow[] {
  return (points ?? []).map((p) => ({ label: p.label ?? 'work', raw: p.raw ?? p.value }));
}

function points(list: readonly PointRow[] | undefined) {
  return (list ?? [])
    .map((r) => ({ label: r.label, raw: (r.raw ?? '').trim() }))
    .filter((r) => r.raw !== '')
    .map((r, i) => ({ value: r.raw, label: r.label, is_primary: i === 0 }));
}

const text = (s: string | null | undefined) => (s ?? '').trim();
const orNull = (s: string | null | undefined) => text(s) || null;

/** Form values for a company card (every field present, so server errors find their input). */
export function companyValues(c?: Company | null): CompanyValues {
  return {
    legal_form: c?.legal_form ?? '',
    name: c?.name ?? '',
    full_name: c?.full_name ?? '',
    inn: c?.inn ?? '',
    kpp: c?.kpp ?? '',
    ogrn: c?.ogrn ?? '',
    legal_address: c?.legal_address ?? '',
    actual_address: c?.actual_address ?? '',
    website: c?.website ?? '',
    bank_details: {
      bank_name: c?.bank_details?.bank_name ?? '',
      bik: c?.bank_details?.bik ?? '',
      account: c?.bank_details?.account ?? '',
      corr_account: c?.bank_details?.corr_account ?? '',
    },
    financial_state: c?.financial_state ?? '',
    purchase_volume: c?.purchase_volume_minor == null ? null : c.purchase_volume_minor / 100,
    payment_discipline: c?.payment_discipline ?? '',
    preferences: c?.preferences ?? '',
    notes: c?.notes ?? '',
    tags: c?.tags ?? [],
    phones: c ? rows(c.phones) : [{ label: 'work', raw: '' }],
    emails: c ? rows(c.emails) : [{ label: 'work', raw: '' }],
    owner_user_id: c?.owner_user_id ?? null,
    custom: { ...((c?.custom ?? {}) as Record<string, unknown>) },
  };
}

/** The request body for a company from the form. */
export function companyBody(v: CompanyValues): CompanyInput {
  const bank = {
    bank_name: text(v.bank_details?.bank_name),
    bik: text(v.bank_details?.bik),
    account: text(v.bank_details?.account),
    corr_account: text(v.bank_details?.corr_account),
  };
  return {
    legal_form: v.legal_form ?? '',
    name: text(v.name),
    full_name: text(v.full_name),
    inn: orNull(v.inn),
    kpp: orNull(v.kpp),
    ogrn: orNull(v.ogrn),
    legal_address: text(v.legal_address),
    actual_address: text(v.actual_address),
    website: text(v.website),
    bank_details: Object.fromEntries(Object.entries(bank).filter(([, value]) => value !== '')),
    financial_state: v.financial_state ?? '',
    purchase_volume_minor:
      v.purchase_volume == null ? null : Math.round(Number(v.purchase_volume) * 100),
    payment_discipline: v.payment_discipline ?? '',
    preferences: text(v.preferences),
    notes: text(v.notes),
    tags: (v.tags ?? []).map((tag) => tag.trim()).filter(Boolean),
    phones: points(v.phones),
    emails: points(v.emails),
    owner_user_id: v.owner_user_id ?? null,
    custom: cleanCustom(v.custom) as Custom,
  };
}

export function contactValues(c?: Contact | null): ContactValues {
  return {
    last_name: c?.last_name ?? '',
    first_name: c?.first_name ?? '',
    middle_name: c?.middle_name ?? '',
    birthday: c?.birthday ?? '',
    preferences: c?.preferences ?? '',
    notes: c?.notes ?? '',
    tags: c?.tags ?? [],
    phones: c ? rows(c.phones) : [{ label: 'mobile', raw: '' }],
    emails: c ? rows(c.emails) : [{ label: 'work', raw: '' }],
    owner_user_id: c?.owner_user_id ?? null,
    custom: { ...((c?.custom ?? {}) as Record<string, unknown>) },
  };
}

export function contactBody(v: ContactValues): ContactInput {
  return {
    last_name: text(v.last_name),
    first_name: text(v.first_name),
    middle_name: text(v.middle_name),
    birthday: orNull(v.birthday),
    preferences: text(v.preferences),
    notes: text(v.notes),
    tags: (v.tags ?? []).map((tag) => tag.trim()).filter(Boolean),
    phones: points(v.phones),
    emails: points(v.emails),
    owner_user_id: v.owner_user_id ?? null,
    custom: cleanCustom(v.custom) as Custom,
  };
}

/** Custom values without the empty ones (an emptied field is removed, not stored as ""). */
export function cleanCustom(custom: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}
