import { describe, expect, it } from 'vitest';
import { cleanFilters, matchesView, viewDefinition, visibleColumns } from './listTools';

describe('list tools', () => {
  it('drops empty filters and sorts keys', () => {
    expect(cleanFilters({ q: '  ', status: 'new', channel: undefined, a: ' x ' })).toEqual({
      a: 'x',
      status: 'new',
    });
    expect(Object.keys(cleanFilters({ z: '1', a: '2' }))).toEqual(['a', 'z']);
  });

  it('keeps the table order, falls back to defaults and always shows fixed columns', () => {
    const all = ['name', 'inn', 'phone', 'owner', 'updated'];
    expect(visibleColumns(all, ['owner', 'inn'], ['phone'], ['name'])).toEqual([
      'name',
      'inn',
      'owner',
    ]);
    expect(visibleColumns(all, [], ['phone', 'updated'], ['name'])).toEqual([
      'name',
      'phone',
      'updated',
    ]);
    expect(visibleColumns(all, ['gone', 'inn'], ['phone'])).toEqual(['inn']);
  });

  it('recognises the current state of a saved view', () => {
    const view = viewDefinition({ status: 'new', q: '' }, ['score', 'title']);
    expect(view).toEqual({ filters: { status: 'new' }, columns: ['score', 'title'] });
    expect(matchesView(view, { status: 'new' }, ['title', 'score'])).toBe(true);
    expect(matchesView(view, { status: 'junk' }, ['title', 'score'])).toBe(false);
    expect(matchesView(view, { status: 'new' }, ['title'])).toBe(false);
    expect(viewDefinition({}, ['a'], 'priority').sort).toBe('priority');
  });
});
