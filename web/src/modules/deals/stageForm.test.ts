import { describe, expect, it } from 'vitest';
import { codeFromLabel, probabilityForKind, stageBody, stageValues, withCodes } from './stageForm';

describe('stage form', () => {
  it('makes checklist codes from Russian and English labels', () => {
    expect(codeFromLabel('Замер проведён')).toBe('zamer_proveden');
    expect(codeFromLabel('KP sent to the client!')).toBe('kp_sent_to_the_client');
    expect(codeFromLabel('  ???  ')).toBe('');
    expect(codeFromLabel('1-й замер')).toBe('n1_i_zamer');
  });

  it('skips codes the other stages of the pipeline use', () => {
    expect(withCodes([{ label: 'Замер' }], ['zamer'])).toEqual([
      { code: 'zamer_2', label: 'Замер' },
    ]);
  });

  it('sets the probability a won or lost stage must have', () => {
    expect(probabilityForKind('won', 40)).toBe(100);
    expect(probabilityForKind('lost', 40)).toBe(0);
    expect(probabilityForKind('open', 100)).toBe(50);
    expect(probabilityForKind('open', 40)).toBe(40);
  });

  it('keeps existing codes, numbers label-less items and makes codes unique', () => {
    expect(
      withCodes([
        { code: 'measure', label: 'Замер' },
        { label: 'Замер' },
        { label: 'Замер' },
        { label: '!!!' },
        { label: '   ' },
      ]),
    ).toEqual([
      { code: 'measure', label: 'Замер' },
      { code: 'zamer', label: 'Замер' },
      { code: 'zamer_2', label: 'Замер' },
      { code: 'item_4', label: '!!!' },
    ]);
  });

  it('turns the form into the API body', () => {
    const values = {
      ...stageValues(null),
      name: '  КП отправлено ',
      probability: 40,
      idle_days: 0,
      is_decision: true,
      required_fields: ['amount'],
      checklist: [{ label: 'Замер согласован' }],
    };
    expect(stageBody(values)).toEqual({
      name: 'КП отправлено',
      probability: 40,
      kind: 'open',
      idle_days: null,
      is_decision: true,
      required_fields: ['amount'],
      checklist: [{ code: 'zamer_soglasovan', label: 'Замер согласован' }],
    });
  });

  it('never marks a won or lost stage as the decision stage', () => {
    expect(
      stageBody({ ...stageValues(null), name: 'Успешно', kind: 'won', is_decision: true }),
    ).toMatchObject({ kind: 'won', is_decision: false });
  });
});
