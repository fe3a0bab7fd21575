import { holdsAllWords } from '../../lib/search'

/*
 * The vault's tree, built from the flat item list the server returns. Pure functions, so the
 * rules (what may move where, what a search finds) are tested without a browser.
 */

/** What the tree needs of an item; DecryptedItem fits. */
export type TreeItem = {
  id: string
  parentId: string | null
  kind: 'folder' | 'entry'
  content: { name: string }
}

export type VaultTree<T extends TreeItem> = {
  byId: ReadonlyMap<string, T>
  /** Children by parent id (null: the vault root); folders first, then by name. */
  children: ReadonlyMap<string | null, readonly T[]>
}

export function compareItems(collator: Intl.Collator) {
  return (a: TreeItem, b: TreeItem): number =>
    a.kind === b.kind
      ? collator.compare(a.content.name, b.content.name)
      : a.kind === 'folder'
        ? -1
        : 1
}

/** Groups items by parent. An item whose parent is missing shows at the root, never lost. */
export function buildTree<T extends TreeItem>(items: readonly T[], locale = 'en'): VaultTree<T> {
  const byId = new Map(items.map((item) => [item.id, item]))
  const children = new Map<string | null, T[]>()
  for (const item of items) {
    const parent = item.parentId !== null && byId.has(item.parentId) ? item.parentId : null
    const list = children.get(parent)
    if (list) list.push(item)
    else children.set(parent, [item])
  }
  const compare = compareItems(new Intl.Collator(locale, { numeric: true, sensitivity: 'base' }))
  for (const list of children.values()) list.sort(compare)
  return { byId, children }
}

export function childrenOf<T extends TreeItem>(
  tree: VaultTree<T>,
  parentId: string | null,
): readonly T[] {
  return tree.children.get(parentId) ?? []
}

/** The items above `id`, outermost first (not `id` itself). */
export function ancestorsOf<T extends TreeItem>(tree: VaultTree<T>, id: string): T[] {
  const path: T[] = []
  const seen = new Set<string>([id])
  let parentId = tree.byId.get(id)?.parentId ?? null
  while (parentId !== null && !seen.has(parentId)) {
    const parent = tree.byId.get(parentId)
    if (!parent) break
    seen.add(parentId)
    path.unshift(parent)
    parentId = parent.parentId
  }
  return path
}

/** How many items sit below `id`, at any depth. */
export function descendantCount<T extends TreeItem>(tree: VaultTree<T>, id: string): number {
  let count = 0
  const stack = [...childrenOf(tree, id)]
  while (stack.length > 0) {
    const item = stack.pop()
    if (!item) break
    count++
    stack.push(...childrenOf(tree, item.id))
  }
  return count
}

/** Whether `id` is `ancestorId` or lies anywhere below it. */
export function isWithin<T extends TreeItem>(
  tree: VaultTree<T>,
  id: string,
  ancestorId: string,
): boolean {
  return id === ancestorId || ancestorsOf(tree, id).some((a) => a.id === ancestorId)
}

/**
 * Whether `item` may move under `parentId` (null: the vault root). Folders hold folders and
 * entries; entries hold sub-entries only; nothing moves into itself; "here already" is no move.
 */
export function canMoveTo<T extends TreeItem>(
  tree: VaultTree<T>,
  item: TreeItem,
  parentId: string | null,
): boolean {
  if (item.parentId === parentId) return false
  if (parentId === null) return true
  const parent = tree.byId.get(parentId)
  if (!parent) return false
  if (parent.kind === 'entry' && item.kind === 'folder') return false
  return !isWithin(tree, parentId, item.id)
}

export type SearchHit<T extends TreeItem> = { item: T; path: T[] }

/**
 * Every item of the vault whose name holds all words of `query`, in any order, with the
 * folders above it; folders first, then by name. An empty query finds nothing.
 */
export function searchItems<T extends TreeItem>(
  tree: VaultTree<T>,
  query: string,
  locale = 'en',
): SearchHit<T>[] {
  if (!query.trim()) return []
  const hits: SearchHit<T>[] = []
  for (const item of tree.byId.values()) {
    if (holdsAllWords(query, item.content.name)) {
      hits.push({ item, path: ancestorsOf(tree, item.id) })
    }
  }
  const compare = compareItems(new Intl.Collator(locale, { numeric: true, sensitivity: 'base' }))
  return hits.sort((a, b) => compare(a.item, b.item))
}
