import { describe, expect, it } from 'vitest'
import {
  ancestorsOf,
  buildTree,
  canMoveTo,
  childrenOf,
  descendantCount,
  searchItems,
  type TreeItem,
} from './vault-tree'

function item(
  id: string,
  parentId: string | null,
  kind: 'folder' | 'entry',
  name: string,
): TreeItem {
  return { id, parentId, kind, content: { name } }
}

// Servers/            (folder)
//   Web/              (folder)
//     nginx           (entry)
//       nginx TLS key (sub-entry)
//   db10              (entry)
//   db2               (entry)
// Wi-Fi               (entry)
// Archive/            (folder)
const items = [
  item('wifi', null, 'entry', 'Wi-Fi'),
  item('db10', 'servers', 'entry', 'db10'),
  item('nginx', 'web', 'entry', 'nginx'),
  item('servers', null, 'folder', 'Servers'),
  item('tls', 'nginx', 'entry', 'nginx TLS key'),
  item('web', 'servers', 'folder', 'Web'),
  item('db2', 'servers', 'entry', 'db2'),
  item('archive', null, 'folder', 'Archive'),
]
const tree = buildTree(items)
const names = (list: readonly TreeItem[]) => list.map((i) => i.content.name)

describe('buildTree', () => {
  it('groups items under their parents with folders first, then by name', () => {
    expect(names(childrenOf(tree, null))).toEqual(['Archive', 'Servers', 'Wi-Fi'])
    // Numeric collation: db2 before db10.
    expect(names(childrenOf(tree, 'servers'))).toEqual(['Web', 'db2', 'db10'])
    expect(names(childrenOf(tree, 'nginx'))).toEqual(['nginx TLS key'])
    expect(childrenOf(tree, 'wifi')).toEqual([])
  })

  it('shows an item whose parent is missing at the root instead of losing it', () => {
    const orphaned = buildTree([item('lost', 'gone', 'entry', 'Lost')])
    expect(names(childrenOf(orphaned, null))).toEqual(['Lost'])
  })

  it('lists the ancestors outermost first', () => {
    expect(names(ancestorsOf(tree, 'tls'))).toEqual(['Servers', 'Web', 'nginx'])
    expect(ancestorsOf(tree, 'servers')).toEqual([])
  })

  it('counts every item below a folder at any depth', () => {
    expect(descendantCount(tree, 'servers')).toBe(5)
    expect(descendantCount(tree, 'nginx')).toBe(1)
    expect(descendantCount(tree, 'archive')).toBe(0)
  })
})

describe('canMoveTo', () => {
  const get = (id: string) => tree.byId.get(id) as TreeItem

  it('lets entries move into folders, other entries and the root', () => {
    expect(canMoveTo(tree, get('db2'), 'archive')).toBe(true)
    expect(canMoveTo(tree, get('db2'), 'nginx')).toBe(true)
    expect(canMoveTo(tree, get('db2'), null)).toBe(true)
  })

  it('refuses a folder inside an entry', () => {
    expect(canMoveTo(tree, get('archive'), 'wifi')).toBe(false)
  })

  it('refuses moving an item into itself or below itself', () => {
    expect(canMoveTo(tree, get('servers'), 'servers')).toBe(false)
    expect(canMoveTo(tree, get('servers'), 'web')).toBe(false)
    expect(canMoveTo(tree, get('nginx'), 'tls')).toBe(false)
  })

  it('treats the current parent as no move', () => {
    expect(canMoveTo(tree, get('web'), 'servers')).toBe(false)
    expect(canMoveTo(tree, get('wifi'), null)).toBe(false)
  })
})

describe('searchItems', () => {
  it('finds names across the whole vault, ignoring case and accents', () => {
    const accented = buildTree([...items, item('cv', 'archive', 'entry', 'Résumé')])
    expect(names(searchItems(accented, 'resume').map((h) => h.item))).toEqual(['Résumé'])
    expect(names(searchItems(tree, 'NGINX').map((h) => h.item))).toEqual(['nginx', 'nginx TLS key'])
  })

  it('needs every word, in any order, and gives the path to each hit', () => {
    const [hit, ...rest] = searchItems(tree, 'key nginx')
    expect(rest).toEqual([])
    expect(hit?.item.id).toBe('tls')
    expect(names(hit?.path ?? [])).toEqual(['Servers', 'Web', 'nginx'])
  })

  it('finds nothing for an empty query and lists folders first', () => {
    expect(searchItems(tree, '   ')).toEqual([])
    expect(names(searchItems(tree, 'e').map((h) => h.item))).toEqual([
      'Archive',
      'Servers',
      'Web',
      'nginx TLS key',
    ])
  })
})
