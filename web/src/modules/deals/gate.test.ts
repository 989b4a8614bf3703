import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api';
import { fieldErrors, gateRefusal, needsLossReason } from './gate';

const refusal = new ApiError({
  status: 422,
  code: 'validation_failed',
  detail: 'Сделку нельзя перевести на этап «КП отправлено»',
  errors: [
    { field: 'amount', code: 'gate_required', message: 'Для этапа «КП отправлено» нужна сумма' },
    {
      field: 'company.inn',
      code: 'gate_required',
      message: 'Для этапа «КП отправлено» нужен ИНН компании',
    },
    {
      field: 'checklist/measure_done',
      code: 'gate_unchecked',
      message: 'Для этапа «КП отправлено» отметьте пункт «Замер проведён»',
    },
  ],
});

describe('gate refusal', () => {
  it('lists exactly what the server said is missing, in its order and words', () => {
    const gate = gateRefusal(refusal);
    expect(gate?.items.map((i) => i.message)).toEqual([
      'Для этапа «КП отправлено» нужна сумма',
      'Для этапа «КП отправлено» нужен ИНН компании',
      'Для этапа «КП отправлено» отметьте пункт «Замер проведён»',
    ]);
    expect(gate?.detail).toBe('Сделку нельзя перевести на этап «КП отправлено»');
  });

  it('splits required fields from unticked checklist items', () => {
    const gate = gateRefusal(refusal)!;
    expect(gate.fields).toEqual(['amount', 'company.inn']);
    expect(gate.checklist).toEqual(['measure_done']);
  });

  it('is not a gate refusal when the 422 carries other field errors', () => {
    const other = new ApiError({
      status: 422,
      code: 'validation_failed',
      detail: '',
      errors: [{ field: 'stage_id', code: 'invalid', message: 'Этап другой воронки' }],
    });
    expect(gateRefusal(other)).toBeNull();
    expect(gateRefusal(new ApiError({ status: 409, code: 'conflict', detail: '' }))).toBeNull();
    expect(gateRefusal(new Error('boom'))).toBeNull();
  });

  it('recognises the missing loss reason', () => {
    const lost = new ApiError({
      status: 422,
      code: 'validation_failed',
      detail: '',
      errors: [{ field: 'loss_reason_id', code: 'required', message: 'Укажите причину' }],
    });
    expect(needsLossReason(lost)).toBe(true);
    expect(needsLossReason(refusal)).toBe(false);
  });

  it('groups ordinary field errors by field and leaves the gate items out', () => {
    const mixed = new ApiError({
      status: 422,
      code: 'validation_failed',
      detail: '',
      errors: [
        { field: 'title', code: 'required', message: 'Введите название' },
        { field: 'title', code: 'too_long', message: 'Слишком длинно' },
        { field: 'amount', code: 'gate_required', message: 'нужна сумма' },
      ],
    });
    expect(fieldErrors(mixed)).toEqual([
      { name: 'title', errors: ['Введите название', 'Слишком длинно'] },
    ]);
  });
});
