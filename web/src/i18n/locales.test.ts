import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import ru from './locales/ru.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();
}

const ruKeys = flatten(ru as Tree);
const enKeys = flatten(en as Tree);

describe('translations', () => {
  it('ru has every key en has', () => {
    expect([...enKeys.keys()].filter((k) => !ruKeys.has(k))).toEqual([]);
  });

  it('en has every key ru has', () => {
    expect([...ruKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('has no empty texts', () => {
    const empty = [...ruKeys, ...enKeys].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const mismatched = [...ruKeys.keys()].filter(
      (k) =>
        enKeys.has(k) &&
        placeholders(ruKeys.get(k)!).join() !== placeholders(enKeys.get(k)!).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('names every section of the menu', () => {
    for (const section of [
      'dashboard',
      'leads',
      'clients',
      'deals',
      'activities',
      'plans',
      'reports',
      'organisation',
      'support',
      'settings',
    ]) {
      expect(ruKeys.has(`shell.menu.${section}`)).toBe(true);
    }
  });
});
