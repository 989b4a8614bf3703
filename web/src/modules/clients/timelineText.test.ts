import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { timelineKind, timelineText } from './timelineText';

describe('timeline texts', () => {
  it('reads the verb of audit actions and keeps event kinds', () => {
    expect(timelineKind('company.update')).toBe('update');
    expect(timelineKind('lead.status.change')).toBe('status_change');
    expect(timelineKind('call_missed')).toBe('call_missed');
  });

  it('names known kinds and shows unknown ones as they are', async () => {
    await i18n.changeLanguage('ru');
    expect(timelineText('company.create', i18n.t)).toBe('Создано');
    expect(timelineText('call_missed', i18n.t)).toBe('Пропущенный звонок');
    expect(timelineText('deal.stage_moved', i18n.t)).toBe('deal.stage_moved');
  });
});
