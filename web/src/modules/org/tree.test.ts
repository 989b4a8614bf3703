import { describe, expect, it } from 'vitest';
import { buildTree, childrenIndex, dropParent, pathTo, subtreeIds } from './tree';

//  1 Продажи
//  ├─ 2 Москва
//  │  └─ 4 Корпоративные
//  └─ 3 Регионы
//  5 Архив (archived)
const D = [
  { id: 3, parent_id: 1, name: 'Регионы', archived: false },
  { id: 1, parent_id: null, name: 'Продажи', archived: false },
  { id: 4, parent_id: 2, name: 'Корпоративные', archived: false },
  { id: 2, parent_id: 1, name: 'Москва', archived: false },
  { id: 5, parent_id: null, name: 'Архив', archived: true },
];

describe('buildTree', () => {
  it('nests children under parents, siblings by name, archived left out', () => {
    const tree = buildTree(D);
    expect(tree.map((n) => n.key)).toEqual([1]);
    expect(tree[0].children!.map((n) => n.title)).toEqual(['Москва', 'Регионы']);
    expect(tree[0].children![0].children!.map((n) => n.key)).toEqual([4]);
    expect(tree[0].children![1].isLeaf).toBe(true);
  });

  it('shows archived departments when asked, and custom titles', () => {
    const tree = buildTree(D, { showArchived: true, title: (d) => `#${d.id}` });
    expect(tree.map((n) => n.title)).toEqual(['#5', '#1']);
  });

  it('puts a node whose parent is hidden at the top and survives a parent loop', () => {
    const orphans = [
      { id: 7, parent_id: 5, name: 'Сирота', archived: false },
      { id: 5, parent_id: null, name: 'Архив', archived: true },
      { id: 8, parent_id: 9, name: 'A', archived: false },
      { id: 9, parent_id: 8, name: 'B', archived: false },
    ];
    expect(buildTree(orphans).map((n) => n.key)).toEqual([7]);
    expect(
      childrenIndex(orphans)
        .get(null)
        ?.map((d) => d.id),
    ).toEqual([5]);
  });
});

describe('subtreeIds and pathTo', () => {
  it('collects the department and everything below it', () => {
    expect([...subtreeIds(D, 1)].sort()).toEqual([1, 2, 3, 4]);
    expect([...subtreeIds(D, 2)].sort()).toEqual([2, 4]);
    expect([...subtreeIds(D, 3)]).toEqual([3]);
  });

  it('walks from the top down to the department', () => {
    expect(pathTo(D, 4).map((d) => d.id)).toEqual([1, 2, 4]);
    expect(pathTo(D, 1).map((d) => d.id)).toEqual([1]);
    expect(pathTo(D, 42)).toEqual([]);
  });
});

describe('dropParent', () => {
  it('drops into a node: that node becomes the parent', () => {
    expect(dropParent(D, 3, 2, false)).toBe(2);
  });

  it('drops beside a node: its parent becomes the parent (null at the top)', () => {
    expect(dropParent(D, 4, 3, true)).toBe(1);
    expect(dropParent(D, 4, 1, true)).toBeNull();
  });

  it('sends nothing when the parent stays the same or the node is dropped on itself', () => {
    expect(dropParent(D, 3, 2, true)).toBeUndefined();
    expect(dropParent(D, 4, 2, false)).toBeUndefined();
    expect(dropParent(D, 2, 2, false)).toBeUndefined();
    expect(dropParent(D, 99, 2, false)).toBeUndefined();
  });

  it('leaves cycles for the server to refuse', () => {
    // Dropping a parent into its own child is the server's call (it answers 422 with a reason).
    expect(dropParent(D, 1, 4, false)).toBe(4);
  });
});
