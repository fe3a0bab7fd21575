import { CommandError, terminalSafe, UsageError } from './output.js'

/*
 * Vault paths on the command line: item names joined by `/` (`Servers/Web/nginx`), resolved
 * by exact name among siblings. An entry's children are its sub-entries. A name that contains
 * `/` is written with a backslash (`Backups\/2024`); `\\` is one backslash.
 */

/** `Servers/Web/nginx` → ['Servers', 'Web', 'nginx']; '' and '/' are the vault's root ([]). */
export function parseVaultPath(text: string): string[] {
  const names: string[] = []
  let name = ''
  let isEscaped = false
  for (const character of text) {
    if (isEscaped) {
      name += character
      isEscaped = false
    } else if (character === '\\') {
      isEscaped = true
    } else if (character === '/') {
      names.push(name)
      name = ''
    } else {
      name += character
    }
  }
  if (isEscaped) throw new UsageError(`${text}: a path cannot end in a lone \\`, 'invalid_input')
  names.push(name)
  // One leading and one trailing slash are allowed: `/Servers/` is `Servers`.
  if (names.length > 1 && names[0] === '') names.shift()
  if (names.length > 1 && names[names.length - 1] === '') names.pop()
  if (names.length === 1 && names[0] === '') return []
  if (names.some((part) => part === '')) {
    throw new UsageError(`${text}: a path has no empty names (//)`, 'invalid_input')
  }
  return names
}

/** The inverse of parseVaultPath: names joined by `/`, with `/` and `\` inside names escaped. */
export function formatVaultPath(names: readonly string[]): string {
  return names.map((name) => name.replace(/[\\/]/g, (character) => `\\${character}`)).join('/')
}

/** What path resolution needs of an item; DecryptedItem fits. */
export type TreeItem = {
  id: string
  parentId: string | null
  kind: 'folder' | 'entry'
  content: { name: string }
}

export type VaultTree<T extends TreeItem> = {
  byId: ReadonlyMap<string, T>
  /** Children by parent id (null: the root); folders first, then by name. */
  children: ReadonlyMap<string | null, readonly T[]>
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/**
 * Groups items by parent, in the web app's order. An item whose parent is missing is shown at
 * the root, as the web app does, so nothing becomes unreachable.
 */
export function buildTree<T extends TreeItem>(items: readonly T[]): VaultTree<T> {
  const byId = new Map(items.map((item) => [item.id, item]))
  const children = new Map<string | null, T[]>()
  for (const item of items) {
    const parent = item.parentId !== null && byId.has(item.parentId) ? item.parentId : null
    children.set(parent, [...(children.get(parent) ?? []), item])
  }
  for (const list of children.values()) {
    list.sort((a, b) =>
      a.kind === b.kind
        ? collator.compare(a.content.name, b.content.name)
        : a.kind === 'folder'
          ? -1
          : 1,
    )
  }
  return { byId, children }
}

export function childrenOf<T extends TreeItem>(
  tree: VaultTree<T>,
  parentId: string | null,
): readonly T[] {
  return tree.children.get(parentId) ?? []
}

/** `Servers/web` in "My vault", for messages; names made safe for a terminal. */
export function describePath(names: readonly string[], vaultName: string): string {
  const where = terminalSafe(vaultName)
  return names.length === 0
    ? `the root of ${where}`
    : `${terminalSafe(formatVaultPath(names))} in ${where}`
}

/**
 * The item `names` leads to (null for the root). Each name must match exactly one sibling:
 * none is not_found, two or more is ambiguous (the CLI cannot tell them apart; the web app can).
 */
export function resolvePath<T extends TreeItem>(
  tree: VaultTree<T>,
  names: readonly string[],
  vaultName: string,
): T | null {
  let current: T | null = null
  for (const [index, name] of names.entries()) {
    const parentId: string | null = current === null ? null : current.id
    const matches: T[] = childrenOf(tree, parentId).filter((child) => child.content.name === name)
    const soFar = names.slice(0, index + 1)
    if (matches.length === 0) {
      throw new CommandError(`there is no ${describePath(soFar, vaultName)}`, 'not_found')
    }
    if (matches.length > 1) {
      throw new CommandError(
        `${describePath(soFar, vaultName)} is ambiguous: ${matches.length} items have that name; ` +
          'rename one in the web app',
        'ambiguous_path',
      )
    }
    current = matches[0] ?? null
  }
  return current
}

/** The names from the root down to `item`, for printing where something is. */
export function pathOf<T extends TreeItem>(tree: VaultTree<T>, item: T | null): string[] {
  const names: string[] = []
  const seen = new Set<string>()
  let current = item
  while (current && !seen.has(current.id)) {
    seen.add(current.id)
    names.unshift(current.content.name)
    current = current.parentId === null ? null : (tree.byId.get(current.parentId) ?? null)
  }
  return names
}
