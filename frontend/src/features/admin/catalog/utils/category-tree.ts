export interface CategoryLike {
  id: string;
  name: string;
  slug: string;
  parent?: { id: string } | null;
}

export interface CategoryNode {
  id: string;
  name: string;
  slug: string;
  parentId: string | null;
  /** 0 for a top-level category. */
  depth: number;
  /** Names from the top-level category down to this one. */
  path: string[];
  children: CategoryNode[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * The flat `categories` list as a tree, each level by name. A category whose parent is not in the
 * list becomes top-level; a cycle (which the API refuses to save) cannot loop: each category
 * appears once.
 */
export function buildCategoryTree(categories: readonly CategoryLike[]): CategoryNode[] {
  const ids = new Set(categories.map((c) => c.id));
  const children = new Map<string | null, CategoryLike[]>();
  for (const category of categories) {
    const parentId = category.parent && ids.has(category.parent.id) ? category.parent.id : null;
    const siblings = children.get(parentId) ?? [];
    siblings.push(category);
    children.set(parentId, siblings);
  }
  const placed = new Set<string>();
  const grow = (parentId: string | null, depth: number, path: string[]): CategoryNode[] =>
    [...(children.get(parentId) ?? [])]
      .sort(byName)
      .filter((category) => !placed.has(category.id))
      .map((category) => {
        placed.add(category.id);
        const ownPath = [...path, category.name];
        return {
          id: category.id,
          name: category.name,
          slug: category.slug,
          parentId,
          depth,
          path: ownPath,
          children: grow(category.id, depth + 1, ownPath),
        };
      });
  const roots = grow(null, 0, []);
  // Members of a cycle have no way up to a root: show them at the top rather than lose them.
  const stranded = categories.filter((c) => !placed.has(c.id)).sort(byName);
  for (const category of stranded) {
    if (placed.has(category.id)) continue;
    placed.add(category.id);
    roots.push({
      id: category.id,
      name: category.name,
      slug: category.slug,
      parentId: null,
      depth: 0,
      path: [category.name],
      children: grow(category.id, 1, [category.name]),
    });
  }
  return roots;
}

/** Every node, parents before their children, in display order. */
export function flattenTree(tree: readonly CategoryNode[]): CategoryNode[] {
  return tree.flatMap((node) => [node, ...flattenTree(node.children)]);
}

export function findNode(tree: readonly CategoryNode[], id: string): CategoryNode | undefined {
  return flattenTree(tree).find((node) => node.id === id);
}

/** "Electronics › Phones". */
export const pathLabel = (node: CategoryNode) => node.path.join(' › ');

export interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

/**
 * Choices for a category's parent: the whole tree without `excludeId` and everything below it
 * (a category cannot sit inside itself or its own subcategories).
 */
export function parentOptions(tree: readonly CategoryNode[], excludeId?: string): TreeOption[] {
  return tree
    .filter((node) => node.id !== excludeId)
    .map((node) => ({ value: node.id, title: node.name, children: parentOptions(node.children, excludeId) }));
}
