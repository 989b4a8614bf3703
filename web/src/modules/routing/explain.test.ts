import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { explainAssignment, explainDecision, responseKindText, skipText } from './explain';
import type { LeadAssignment, RoutingDecision } from './routingApi';

const t = i18n.t.bind(i18n);

const DECISION: RoutingDecision = {
  rule_id: 2,
  rule_position: 2,
  rule_name: 'Сайт — ответить за час',
  strategy: 'round_robin',
  user_id: 6,
  user_name: 'Никита Орлов',
  queued: false,
  skipped: [
    { user_id: 3, name: 'Ольга Васильева', reason: 'excluded', param: '' },
    { user_id: 7, name: 'Елена Морозова', reason: 'absent', param: 'vacation' },
    { user_id: 8, name: 'Павел Волков', reason: 'at_cap', param: '5' },
  ],
  unmatched_positions: [1],
};

function assignment(extra: Partial<LeadAssignment>): LeadAssignment {
  return {
    id: 1,
    user_id: 6,
    user_name: 'Никита Орлов',
    rule_id: 2,
    reason: 'routed',
    explanation: {},
    assigned_at: 0,
    deadline_at: null,
    responded_at: null,
    response_working_ms: null,
    breached_at: null,
    ended_at: null,
    end_reason: '',
    ...extra,
  };
}

describe('routing explanations', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('ru');
  });

  it('translates why each person was skipped', () => {
    expect(DECISION.skipped.map((s) => skipText(t, s))).toEqual([
      'Ольга Васильева — пропустил(а) срок по этому лиду',
      'Елена Морозова — в отпуске',
      'Павел Волков — уже максимум открытых лидов (5)',
    ]);
    expect(skipText(t, { name: 'X', reason: 'off_shift', param: '' })).toBe('X — не на смене');
    expect(skipText(t, { name: 'X', reason: 'absent', param: 'sabbatical' })).toBe(
      'X — отсутствует (sabbatical)',
    );
  });

  it('tells the simulator answer as one sentence', () => {
    expect(explainDecision(t, DECISION)).toBe(
      'Правило 2 «Сайт — ответить за час», по очереди → Никита Орлов. Пропущены: ' +
        'Ольга Васильева — пропустил(а) срок по этому лиду; Елена Морозова — в отпуске; ' +
        'Павел Волков — уже максимум открытых лидов (5)',
    );
    expect(explainDecision(t, { ...DECISION, user_id: null, queued: true, skipped: [] })).toBe(
      'Правило 2 «Сайт — ответить за час», по очереди → в очередь: сейчас никто не может взять',
    );
    expect(explainDecision(t, { ...DECISION, rule_id: null })).toMatch(/Ни одно правило/);
  });

  it('explains stored assignments from their decision, in English too', async () => {
    const stored = assignment({
      reason: 'reassigned',
      explanation: {
        rule_position: 2,
        rule_name: 'Site',
        strategy: 'round_robin',
        skipped: [{ user_id: 3, name: 'Olga', reason: 'excluded', param: '' }],
        text: 'rule 2 «Site», round_robin → Nikita',
      } as never,
    });
    await i18n.changeLanguage('en');
    expect(explainAssignment(t, stored)).toBe(
      'Rule 2 “Site”, round robin → Никита Орлов. Skipped: Olga — missed the deadline on this lead',
    );
    expect(
      explainAssignment(
        t,
        assignment({ reason: 'escalated', explanation: { breaches: 3 } as never }),
      ),
    ).toBe('Escalated to the head Никита Орлов, breaches: 3');
  });

  it('falls back to the server text when the decision is missing', () => {
    expect(
      explainAssignment(t, assignment({ explanation: { text: 'rule 1 «A» → B' } as never })),
    ).toBe('rule 1 «A» → B');
    expect(explainAssignment(t, assignment({ reason: 'manual' }))).toBe(
      'Назначен вручную: Никита Орлов',
    );
  });

  it('names how the client was first answered', () => {
    expect(responseKindText(t, 'call')).toBe('звонок');
    expect(responseKindText(t, 'status:in_work')).toBe('статус «В работе»');
    expect(responseKindText(t, 'meeting_booked')).toBe('назначена встреча');
    expect(responseKindText(t, '')).toBe('');
  });
});
