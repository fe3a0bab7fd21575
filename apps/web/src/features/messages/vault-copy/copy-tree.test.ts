import type { CopiedItem } from '@sealpost/core'
import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { en } from '../../../i18n/en'
import {
  type SummaryItem,
  copiedBlobIds,
  copiedRows,
  copySummaryText,
  flattenRows,
  rowDetails,
  summarizeCopied,
  summarizeCopy,
} from './copy-tree'

const t = i18next.createInstance()
beforeAll(async () => {
  await t.init({
    lng: 'en',
    resources: { en: { translation: en } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  })
})

const file = (blobId: string, size: number) => ({ blobId, name: `${blobId}.bin`, type: '', size })

function item(
  id: string,
  parentId: string | null,
  kind: 'folder' | 'entry',
  files: Array<{ size: number }> = [],
): SummaryItem {
  return {
    id,
    parentId,
    kind,
    content: { name: id, type: kind === 'folder' ? 'folder' : 'credential', files },
  }
}

// Servers/ {web (1 file) {web-admin (1 file)}, db}, Servers/Old/ {legacy (1 file)}; Other/.
const vault: SummaryItem[] = [
  item('Servers', null, 'folder'),
  item('web', 'Servers', 'entry', [{ size: 100 }]),
  item('web-admin', 'web', 'entry', [{ size: 20 }]),
  item('db', 'Servers', 'entry'),
  item('Old', 'Servers', 'folder'),
  item('legacy', 'Old', 'entry', [{ size: 3 }]),
  item('Other', null, 'folder'),
]

function copied(
  name: string,
  kind: 'folder' | 'entry',
  children: CopiedItem[] = [],
  files: CopiedItem['content']['files'] = [],
): CopiedItem {
  return {
    kind,
    content: { name, type: kind === 'folder' ? 'folder' : 'credential', fields: [], files },
    children,
  }
}

describe('summarizeCopy', () => {
  it('counts every entry and file below a folder, at any depth', () => {
    expect(summarizeCopy(vault, 'Servers')).toEqual({
      kind: 'folder',
      name: 'Servers',
      type: 'folder',
      entries: 4,
      files: 3,
      bytes: 123,
    })
  })

  it('counts an entry’s sub-entries and its own files with theirs', () => {
    expect(summarizeCopy(vault, 'web')).toMatchObject({ kind: 'entry', entries: 1, files: 2 })
    expect(summarizeCopy(vault, 'db')).toMatchObject({ entries: 0, files: 0, bytes: 0 })
  })

  it('is null for an item that is not there', () => {
    expect(summarizeCopy(vault, 'gone')).toBeNull()
  })

  it('survives a loop in the tree', () => {
    const loop = [item('a', 'b', 'folder'), item('b', 'a', 'entry')]
    expect(summarizeCopy(loop, 'a')).toMatchObject({ entries: 1 })
  })

  it('agrees with the summary of the copy as it arrives', () => {
    const tree = copied(
      'web',
      'entry',
      [copied('web-admin', 'entry', [], [file('b', 20)])],
      [file('a', 100)],
    )
    expect(summarizeCopied(tree)).toEqual(summarizeCopy(vault, 'web'))
  })
})

describe('copySummaryText', () => {
  it('says what a folder holds', () => {
    const summary = summarizeCopy(vault, 'Servers')
    if (!summary) throw new Error('no summary')
    expect(copySummaryText(t.t, summary)).toBe("Folder 'Servers' (4 entries, 3 files)")
    expect(copySummaryText(t.t, { ...summary, name: 'One', entries: 1, files: 1, bytes: 1 })).toBe(
      "Folder 'One' (1 entry, 1 file)",
    )
    expect(copySummaryText(t.t, { ...summary, entries: 12, files: 0 })).toBe(
      "Folder 'Servers' (12 entries)",
    )
    expect(copySummaryText(t.t, { ...summary, entries: 0, files: 0 })).toBe(
      "Folder 'Servers' (empty)",
    )
  })

  it('says what an entry carries, and nothing when it is alone', () => {
    const web = summarizeCopy(vault, 'web')
    const db = summarizeCopy(vault, 'db')
    if (!web || !db) throw new Error('no summary')
    expect(copySummaryText(t.t, web)).toBe("Entry 'web' (1 sub-entry, 2 files)")
    expect(copySummaryText(t.t, { ...web, entries: 2, files: 1 })).toBe(
      "Entry 'web' (2 sub-entries, 1 file)",
    )
    expect(copySummaryText(t.t, { ...web, entries: 0, files: 1 })).toBe("Entry 'web' (1 file)")
    expect(copySummaryText(t.t, db)).toBe("Entry 'db'")
  })
})

describe('rowDetails', () => {
  it('names the type of an entry, then what it holds', () => {
    const web = summarizeCopy(vault, 'web')
    const servers = summarizeCopy(vault, 'Servers')
    if (!web || !servers) throw new Error('no summary')
    expect(rowDetails(t.t, web, 'en')).toBe('Credential · 1 sub-entry · 2 files, 120 bytes')
    expect(rowDetails(t.t, servers, 'en')).toBe('4 entries · 3 files, 123 bytes')
  })
})

describe('copiedRows', () => {
  const tree = [
    copied('Servers', 'folder', [
      copied('web', 'entry', [copied('web-admin', 'entry')], [file('k1', 5), file('k2', 6)]),
      copied('db', 'entry'),
    ]),
  ]

  it('puts each item’s files before the items below it, one level deeper', () => {
    const rows = flattenRows(copiedRows(tree))
    expect(
      rows.map((row) => [
        row.id,
        row.level,
        row.kind,
        row.kind === 'file' ? row.file.name : row.item.content.name,
      ]),
    ).toEqual([
      ['0', 1, 'folder', 'Servers'],
      ['0.0', 2, 'entry', 'web'],
      ['0.0.f0', 3, 'file', 'k1.bin'],
      ['0.0.f1', 3, 'file', 'k2.bin'],
      ['0.0.0', 3, 'entry', 'web-admin'],
      ['0.1', 2, 'entry', 'db'],
    ])
  })

  it('gives ids unique within the message, even for items of the same name', () => {
    const twins = [copied('same', 'entry'), copied('same', 'entry')]
    const ids = flattenRows(copiedRows(twins)).map((row) => row.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('sums each row’s subtree', () => {
    const [servers] = copiedRows(tree)
    expect(servers?.kind === 'folder' && servers.summary).toMatchObject({ entries: 3, files: 2 })
  })

  it('tells the files of copied items from plain attachments', () => {
    expect([...copiedBlobIds(tree)].sort()).toEqual(['k1', 'k2'])
    expect(copiedBlobIds(null).size).toBe(0)
  })
})
