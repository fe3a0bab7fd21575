import { describe, expect, it } from 'vitest'
import { type PlaceItem, folderPath, folderTree, siblingNames } from './save-destinations'

function item(id: string, parentId: string | null, kind: 'folder' | 'entry'): PlaceItem {
  return { id, parentId, kind, content: { name: id } }
}

// Servers/ {web {web-admin}, db}, Servers/Old/ {legacy}; Other/.
const vault: PlaceItem[] = [
  item('Servers', null, 'folder'),
  item('web', 'Servers', 'entry'),
  item('web-admin', 'web', 'entry'),
  item('db', 'Servers', 'entry'),
  item('Old', 'Servers', 'folder'),
  item('legacy', 'Old', 'entry'),
  item('Other', null, 'folder'),
]

describe('save destinations', () => {
  it('offers folders only, sorted, each under its parent', () => {
    expect(folderTree(vault)).toEqual([
      { id: 'Other', name: 'Other', children: [] },
      { id: 'Servers', name: 'Servers', children: [{ id: 'Old', name: 'Old', children: [] }] },
    ])
  })

  it('keeps a folder whose parent is missing, at the top', () => {
    expect(folderTree([item('lost', 'nowhere', 'folder')])).toEqual([
      { id: 'lost', name: 'lost', children: [] },
    ])
  })

  it('knows the names beside a destination and the way down to it', () => {
    expect([...siblingNames(vault, 'Servers')].sort()).toEqual(['Old', 'db', 'web'])
    expect([...siblingNames(vault, null)].sort()).toEqual(['Other', 'Servers'])
    expect(folderPath(vault, 'Old')).toEqual(['Servers', 'Old'])
  })
})
