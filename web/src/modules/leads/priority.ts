import type { Lead, LeadStatus, PriorityReason } from './leadsApi';

/** Colour of the score tag: hot requests stand out, vague ones stay grey. */
export function priorityColor(score: number): string {
  if (score >= 70) return 'red';
  if (score >= 40) return 'orange';
  if (score >= 15) return 'gold';
  return 'default';
}

/** Reasons with the biggest effect first; penalties (negative points) after the bonuses. */
export function sortedReasons(reasons: readonly PriorityReason[]): PriorityReason[] {
  return [...reasons].sort((a, b) => b.points - a.points || a.code.localeCompare(b.code));
}

/** "+25" / "−10": the sign always shown. */
export function formatPoints(points: number): string {
  if (points > 0) return `+${points}`;
  if (points < 0) return `−${Math.abs(points)}`;
  return '0';
}

/** Statuses a lead may move to by hand from its current one (conversion has its own dialog). */
export function nextStatuses(status: LeadStatus): LeadStatus[] {
  switch (status) {
    case 'new':
      return ['in_work', 'qualified', 'junk'];
    case 'in_work':
      return ['new', 'qualified', 'junk'];
    case 'qualified':
      return ['in_work', 'junk'];
    case 'junk':
      return ['new', 'in_work'];
    default:
      return [];
  }
}

export function canConvert(lead: Pick<Lead, 'status'>): boolean {
  return lead.status !== 'converted' && lead.status !== 'junk';
}

/** The first phone/e-mail of a lead as the user typed it. */
export function firstRaw(points: readonly { raw?: string; value: string }[] | undefined): string {
  const p = points?.[0];
  return p ? p.raw || p.value : '';
}

/** A reason as one line: the server's text already carries the points ("+20 …"); add them if not. */
export function reasonLine(reason: Pick<PriorityReason, 'points' | 'text' | 'code'>): string {
  const text = reason.text || reason.code;
  return /^[+\-−]?\d/.test(text.trim()) ? text : `${formatPoints(reason.points)} ${text}`;
}

/** What the convert dialog starts from: the lead's company name and INN. */
export function conversionDefaults(lead: Pick<Lead, 'company_name' | 'inn' | 'contact_name'>) {
  return {
    company: { name: lead.company_name || '', inn: lead.inn ?? '' },
    contactName: lead.contact_name || '',
  };
}
