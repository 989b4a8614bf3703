import type { TFunction } from 'i18next';
import type { LeadAssignment, RoutingDecision, SkippedPerson } from './routingApi';

/** The decision the server stored with an assignment; older or manual ones carry less. */
interface StoredExplanation {
  rule_id?: number | null;
  rule_position?: number;
  rule_name?: string;
  strategy?: string | null;
  user_id?: number | null;
  skipped?: SkippedPerson[];
  breaches?: number;
  text?: string;
}

const ABSENCE_KINDS = ['vacation', 'sick_leave', 'business_trip', 'day_off'];

/** Why one person was passed over, in the interface language: "Елена Морозова — в отпуске". */
export function skipText(
  t: TFunction,
  s: Pick<SkippedPerson, 'name' | 'reason' | 'param'>,
): string {
  let why: string;
  if (s.reason === 'absent')
    why = ABSENCE_KINDS.includes(s.param)
      ? t(`routing.absent.${s.param}`)
      : t('routing.skip.absent', { kind: s.param });
  else if (s.reason === 'at_cap') why = t('routing.skip.at_cap', { cap: s.param });
  else why = t(`routing.skip.${s.reason}`, { defaultValue: s.reason });
  return `${s.name} — ${why}`;
}

function withSkipped(t: TFunction, text: string, skipped: readonly SkippedPerson[] | undefined) {
  if (!skipped?.length) return text;
  return `${text}. ${t('routing.explain.skipped', { list: skipped.map((s) => skipText(t, s)).join('; ') })}`;
}

function ruleText(
  t: TFunction,
  d: { rule_position?: number; rule_name?: string; strategy?: string | null },
): string {
  return t('routing.explain.rule', {
    position: d.rule_position ?? '?',
    rule: d.rule_name ?? '',
    strategy: d.strategy ? t(`routing.strategy.${d.strategy}`) : '',
  });
}

/** A simulator answer as a sentence: which rule, whom, who was skipped and why. */
export function explainDecision(t: TFunction, d: RoutingDecision): string {
  if (d.rule_id === null) return t('routing.explain.noRule');
  const who = d.user_id
    ? t('routing.explain.to', { name: d.user_name ?? `#${d.user_id}` })
    : t('routing.explain.toQueue');
  return withSkipped(t, `${ruleText(t, d)} → ${who}`, d.skipped);
}

/** One line of a lead's routing history, from the decision stored with the assignment. */
export function explainAssignment(
  t: TFunction,
  a: Pick<LeadAssignment, 'reason' | 'user_name' | 'user_id' | 'explanation'>,
): string {
  const e = (a.explanation ?? {}) as StoredExplanation;
  const name = a.user_name || (a.user_id ? `#${a.user_id}` : '');
  switch (a.reason) {
    case 'escalated':
      return t('routing.explain.escalated', { count: e.breaches ?? 0, name });
    case 'manual':
      return t('routing.explain.manual', { name });
    case 'queued':
      if (e.rule_name)
        return withSkipped(t, `${ruleText(t, e)} → ${t('routing.explain.toQueue')}`, e.skipped);
      break;
    default:
      if (e.rule_name)
        return withSkipped(
          t,
          `${ruleText(t, e)} → ${t('routing.explain.to', { name })}`,
          e.skipped,
        );
  }
  return e.text ?? '';
}

/** How the client was first answered: "звонок", "смена статуса на «В работе»", "встреча назначена". */
export function responseKindText(t: TFunction, kind: string): string {
  if (!kind) return '';
  if (kind.startsWith('status:'))
    return t('routing.lead.responseKind.status', {
      status: t(`leads.status.${kind.slice('status:'.length)}`),
    });
  return t(`routing.lead.responseKind.${kind}`, { defaultValue: kind });
}
