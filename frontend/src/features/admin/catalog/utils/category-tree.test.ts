import { describe, expect, it } from 'vitest';
import { buildCategoryTree, findNode, flattenTree, parentOptions, pathLabel, type CategoryLike } from './category-tree';

const cat = (id: string, name: string, parent?: string): CategoryLike => ({
  id,
  name,
  slug: name.toLowerCase(),
  parent: parent ? { id: parent } : null,
});

const flat = [
  cat('3', 'Phones', '1'),
  cat('1', 'Electronics'),
  cat('4', 'Foldables', '3'),
  cat('2', 'Books'),
  cat('5', 'Audio', '1'),
];

describe('buildCategoryTree', () => {
  it('nests categories under their parents, each level by name, with depth and path', () => {
    const tree = buildCategoryTree(flat);

    expect(tree.map((n) => n.name)).toEqual(['Books', 'Electronics']);
    const electronics = tree[1]!;
    expect(electronics.children.map((n) => n.name)).toEqual(['Audio', 'Phones']);
    const foldables = findNode(tree, '4')!;
    expect(foldables).toMatchObject({ depth: 2, parentId: '3', path: ['Electronics', 'Phones', 'Foldables'] });
    expect(pathLabel(foldables)).toBe('Electronics › Phones › Foldables');
    expect(flattenTree(tree).map((n) => n.name)).toEqual(['Books', 'Electronics', 'Audio', 'Phones', 'Foldables']);
  });

  it('puts a category whose parent is missing at the top, and survives a cycle', () => {
    const tree = buildCategoryTree([cat('7', 'Orphan', '99'), cat('8', 'Ping', '9'), cat('9', 'Pong', '8')]);

    expect(flattenTree(tree).map((n) => n.name).sort()).toEqual(['Orphan', 'Ping', 'Pong']);
    expect(findNode(tree, '7')).toMatchObject({ depth: 0, parentId: null });
  });

  it('is empty for no categories', () => {
    expect(buildCategoryTree([])).toEqual([]);
  });
});

describe('parentOptions', () => {
  it('offers every category but the one being edited and its subcategories', () => {
    const tree = buildCategoryTree(flat);
    const values = (options: ReturnType<typeof parentOptions>): string[] =>
      options.flatMap((o) => [o.value, ...values(o.children)]);

    expect(values(parentOptions(tree)).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(values(parentOptions(tree, '3')).sort()).toEqual(['1', '2', '5']);
    expect(values(parentOptions(tree, '1'))).toEqual(['2']);
  });
});
