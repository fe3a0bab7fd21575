import { describe, expect, test } from 'vitest'
import { CommandError, UsageError } from './output.js'
import {
  buildTree,
  childrenOf,
  formatVaultPath,
  parseVaultPath,
  pathOf,
  resolvePath,
  type TreeItem,
} from './vault-path.js'

function item(id: string, parentId: string | null, kind: TreeItem['kind'], name: string) {
  return { id, parentId, kind, content: { name } }
}

const items = [
  item('db', 'servers', 'entry', 'db'),
  item('servers', null, 'folder', 'Servers'),
  item('web', 'servers', 'entry', 'web'),
  item('root', 'web', 'entry', 'root'),
  item('web-folder', 'servers', 'folder', 'Web'),
  item('twin-1', null, 'entry', 'twin'),
  item('twin-2', null, 'entry', 'twin'),
  item('slash', null, 'folder', 'Backups/2024'),
  item('orphan', 'gone', 'entry', 'orphan'),
]
const tree = buildTree(items)

describe('parseVaultPath', () => {
  test('splits names at slashes, allowing one leading and one trailing slash', () => {
    expect(parseVaultPath('Servers/Web/nginx')).toEqual(['Servers', 'Web', 'nginx'])
    expect(parseVaultPath('/Servers/')).toEqual(['Servers'])
    expect(parseVaultPath('My entry with spaces')).toEqual(['My entry with spaces'])
  })

  test('reads the root as no names', () => {
    expect(parseVaultPath('')).toEqual([])
    expect(parseVaultPath('/')).toEqual([])
  })

  test('reads an escaped slash or backslash as part of a name', () => {
    expect(parseVaultPath('Backups\\/2024/db')).toEqual(['Backups/2024', 'db'])
    expect(parseVaultPath('C:\\\\temp')).toEqual(['C:\\temp'])
  })

  test('refuses empty names and a dangling backslash', () => {
    expect(() => parseVaultPath('Servers//web')).toThrow(UsageError)
    expect(() => parseVaultPath('Servers\\')).toThrow(UsageError)
  })

  test('formatVaultPath is its inverse', () => {
    for (const names of [['Servers', 'web'], ['Backups/2024', 'a\\b'], []]) {
      expect(parseVaultPath(formatVaultPath(names))).toEqual(names)
    }
    expect(formatVaultPath(['Backups/2024', 'db'])).toBe('Backups\\/2024/db')
  })
})

describe('buildTree and resolvePath', () => {
  test('orders children folders first, then by name', () => {
    expect(childrenOf(tree, 'servers').map((child) => child.content.name)).toEqual([
      'Web',
      'db',
      'web',
    ])
  })

  test('shows an item whose parent is missing at the top level', () => {
    expect(childrenOf(tree, null).map((child) => child.id)).toContain('orphan')
  })

  test('resolves exact names, an entry’s sub-entries included', () => {
    expect(resolvePath(tree, [], 'My vault')).toBeNull()
    expect(resolvePath(tree, ['Servers', 'web', 'root'], 'My vault')?.id).toBe('root')
    expect(resolvePath(tree, ['Servers', 'Web'], 'My vault')?.id).toBe('web-folder')
    expect(resolvePath(tree, ['Backups/2024'], 'My vault')?.id).toBe('slash')
  })

  test('names the missing part of a path', () => {
    const resolve = () => resolvePath(tree, ['Servers', 'mail', 'smtp'], 'My vault')
    expect(resolve).toThrow(CommandError)
    expect(resolve).toThrow('there is no Servers/mail in My vault')
    try {
      resolve()
    } catch (error) {
      expect((error as CommandError).code).toBe('not_found')
    }
  })

  test('refuses a name two siblings share, naming the path', () => {
    const resolve = () => resolvePath(tree, ['twin'], 'Ops')
    expect(resolve).toThrow('twin in Ops is ambiguous: 2 items have that name')
    try {
      resolve()
    } catch (error) {
      expect((error as CommandError).code).toBe('ambiguous_path')
    }
  })

  test('pathOf gives the names from the top down', () => {
    expect(pathOf(tree, tree.byId.get('root') ?? null)).toEqual(['Servers', 'web', 'root'])
    expect(pathOf(tree, null)).toEqual([])
  })
})
