import type { DuplicateCheck, DuplicateMatch } from './clientsApi';

/** Enough digits for a phone to be worth a look-up (a Russian number without the country code). */
const MIN_PHONE_DIGITS = 10;

function list(
  values: readonly (string | undefined | null)[] | string | undefined | null,
): string[] {
  const all = Array.isArray(values) ? values : [values];
  return all.map((v) => (v ?? '').trim()).filter(Boolean);
}

/**
 * What to ask the duplicate check while a form is being typed: only values complete enough to
 * match (a phone with 10+ digits, an e-mail with "@" and a dot after it, a 10- or 12-digit INN,
 * a name of 3+ letters). Null when nothing is ready, so no request is sent.
 */
export function duplicateQuery(input: {
  phones?: readonly (string | undefined | null)[] | string | null;
  emails?: readonly (string | undefined | null)[] | string | null;
  inn?: string | null;
  name?: string | null;
}): DuplicateCheck | null {
  const phones = list(input.phones).filter((p) => p.replace(/\D/g, '').length >= MIN_PHONE_DIGITS);
  const emails = list(input.emails).filter((e) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
  const innDigits = (input.inn ?? '').replace(/\D/g, '');
  const inn = innDigits.length === 10 || innDigits.length === 12 ? innDigits : '';
  const name = (input.name ?? '').trim();
  const query: DuplicateCheck = {};
  if (phones.length) query.phones = phones;
  if (emails.length) query.emails = emails;
  if (inn) query.inn = inn;
  if (name.length >= 3) query.name = name;
  return Object.keys(query).length ? query : null;
}

/** The in-app address of a matched record. */
export function matchLink(match: Pick<DuplicateMatch, 'type' | 'id'>): string | null {
  if (match.id === undefined) return null;
  switch (match.type) {
    case 'company':
      return `/clients/companies/${match.id}`;
    case 'contact':
      return `/clients/contacts/${match.id}`;
    default:
      return `/leads?lead=${match.id}`;
  }
}

/** The fields a match was found on, whichever way the server names them. */
export function matchFields(m: Pick<DuplicateMatch, 'match' | 'matched_on'>): string[] {
  return m.matched_on ?? (m.match ? [m.match] : []);
}

/**
 * One entry per record: the server reports a match per field, so a company sharing both the phone
 * and the INN arrives twice.
 */
export function groupMatches(matches: readonly DuplicateMatch[]): DuplicateMatch[] {
  const byRecord = new Map<string, DuplicateMatch>();
  for (const m of matches) {
    // Records the caller may not see come without an id: one entry per owner and value then.
    const key = m.id !== undefined ? `${m.type}:${m.id}` : `${m.type}:?${m.owner_name}:${m.value}`;
    const old = byRecord.get(key);
    const fields = new Set([...(old ? matchFields(old) : []), ...matchFields(m)]);
    byRecord.set(key, { ...(old ?? m), matched_on: [...fields] });
  }
  return [...byRecord.values()];
}

/** Strong matches (phone, e-mail, INN) first; a name alone is only a hint. */
export function sortMatches(matches: readonly DuplicateMatch[]): DuplicateMatch[] {
  const strength = (m: DuplicateMatch) => (matchFields(m).some((f) => f !== 'name') ? 0 : 1);
  return groupMatches(matches).sort(
    (a, b) => strength(a) - strength(b) || (a.title ?? '').localeCompare(b.title ?? ''),
  );
}
