import type { CopiedItem, ItemFileMeta, ItemType } from '@sealpost/core'
import type { TFunction } from 'i18next'
import { formatBytes } from '../../../lib/format'

/*
 * Send copy (S7–S9, S13) as pure functions over plain data: what a copy holds, how it reads
 * in one line, and how a received copy shows as rows. Tested without a browser. Where a copy
 * can be saved is the vault's (save-to-vault/save-destinations.ts).
 */

/** What a copy of a folder or entry holds: the root, and everything below it. */
export type CopySummary = {
  kind: 'folder' | 'entry'
  name: string
  type: ItemType
  /** Entries below the root at any depth (for an entry: its sub-entries). */
  entries: number
  /** Files of the root and of everything below it. */
  files: number
  bytes: number
}

/** What the summary needs of a vault item; DecryptedItem fits. */
export type SummaryItem = {
  id: string
  parentId: string | null
  kind: 'folder' | 'entry'
  content: { name: string; type: ItemType; files: ReadonlyArray<{ size: number }> }
}

/** A tree node in the shape of a copied item (CopiedItem fits). */
type Node = {
  kind: 'folder' | 'entry'
  content: { name: string; type: ItemType; files: ReadonlyArray<{ size: number }> }
  children: readonly Node[]
}

function summarizeNode(root: Node): CopySummary {
  let entries = 0
  let files = 0
  let bytes = 0
  const visit = (node: Node, isRoot: boolean) => {
    if (!isRoot && node.kind === 'entry') entries++
    files += node.content.files.length
    for (const file of node.content.files) bytes += file.size
    for (const child of node.children) visit(child, false)
  }
  visit(root, true)
  return {
    kind: root.kind,
    name: root.content.name,
    type: root.content.type,
    entries,
    files,
    bytes,
  }
}

/** The summary of a copied item as it arrived in a message. */
export function summarizeCopied(item: CopiedItem): CopySummary {
  return summarizeNode(item)
}

/**
 * The summary of a copy of `rootId` from a vault's flat item list, as core's buildCopy will
 * make it; null when the item is not in the list.
 */
export function summarizeCopy(items: readonly SummaryItem[], rootId: string): CopySummary | null {
  const byParent = new Map<string | null, SummaryItem[]>()
  for (const item of items) {
    const list = byParent.get(item.parentId)
    if (list) list.push(item)
    else byParent.set(item.parentId, [item])
  }
  const seen = new Set<string>()
  const toNode = (item: SummaryItem): Node => {
    seen.add(item.id)
    return {
      kind: item.kind,
      content: item.content,
      // A loop in a tampered tree must not hang the page.
      children: (byParent.get(item.id) ?? []).filter((c) => !seen.has(c.id)).map(toNode),
    }
  }
  const root = items.find((item) => item.id === rootId)
  return root ? summarizeNode(toNode(root)) : null
}

/**
 * "Folder 'Servers' (12 entries, 3 files)", "Entry 'web' (2 sub-entries, 1 file)",
 * "Entry 'web'" (S7).
 */
export function copySummaryText(t: TFunction, summary: CopySummary): string {
  const parts: string[] = []
  if (summary.kind === 'folder') {
    parts.push(t('vaultCopy.entryCount', { count: summary.entries }))
  } else if (summary.entries > 0) {
    parts.push(t('vaultCopy.subEntryCount', { count: summary.entries }))
  }
  if (summary.files > 0) parts.push(t('vaultCopy.fileCount', { count: summary.files }))
  const name = summary.name
  if (summary.kind === 'folder') {
    return summary.entries === 0 && summary.files === 0
      ? t('vaultCopy.summaryEmptyFolder', { name })
      : t('vaultCopy.summaryFolder', { name, details: parts.join(', ') })
  }
  return parts.length === 0
    ? t('vaultCopy.summaryEntryPlain', { name })
    : t('vaultCopy.summaryEntry', { name, details: parts.join(', ') })
}

/** "Credential · 2 sub-entries · 1 file, 3.4 KB"; "12 entries · 3 files, 2 MB" for a folder. */
export function rowDetails(t: TFunction, summary: CopySummary, locale: string): string {
  const parts: string[] = []
  if (summary.kind === 'folder') {
    parts.push(t('vaultCopy.entryCount', { count: summary.entries }))
  } else {
    parts.push(t(`vaultCopy.types.${summary.type}`))
    if (summary.entries > 0) parts.push(t('vaultCopy.subEntryCount', { count: summary.entries }))
  }
  if (summary.files > 0) {
    parts.push(
      t('vaultCopy.filesWithSize', {
        count: summary.files,
        size: formatBytes(summary.bytes, locale),
      }),
    )
  }
  return parts.join(' · ')
}

/** One row of a received copy (S13): a folder, an entry, or a file of an entry. */
export type CopiedRow =
  | {
      /** Unique within the message: the path of indices ("0.2.1"). */
      id: string
      level: number
      kind: 'folder' | 'entry'
      item: CopiedItem
      summary: CopySummary
      children: CopiedRow[]
    }
  | {
      id: string
      level: number
      kind: 'file'
      file: ItemFileMeta
      /** The entry the file belongs to. */
      item: CopiedItem
      children: []
    }

/**
 * The copied tree as rows to show: each item with its files first (they are its own), then
 * the items below it. Levels start at 1, as aria-level does.
 */
export function copiedRows(tree: readonly CopiedItem[]): CopiedRow[] {
  const toRows = (items: readonly CopiedItem[], prefix: string, level: number): CopiedRow[] =>
    items.map((item, index) => {
      const id = prefix ? `${prefix}.${index}` : String(index)
      const files: CopiedRow[] = item.content.files.map((file, fileIndex) => ({
        id: `${id}.f${fileIndex}`,
        level: level + 1,
        kind: 'file',
        file,
        item,
        children: [],
      }))
      return {
        id,
        level,
        kind: item.kind,
        item,
        summary: summarizeCopied(item),
        children: [...files, ...toRows(item.children, id, level + 1)],
      }
    })
  return toRows(tree, '', 1)
}

/** Every row, depth first, as the tree shows them when all is expanded. */
export function flattenRows(rows: readonly CopiedRow[]): CopiedRow[] {
  return rows.flatMap((row) => [row, ...flattenRows(row.children)])
}

/** The message attachments that belong to copied items (the rest are plain files). */
export function copiedBlobIds(tree: readonly CopiedItem[] | null): Set<string> {
  const ids = new Set<string>()
  const visit = (item: CopiedItem) => {
    for (const file of item.content.files) ids.add(file.blobId)
    item.children.forEach(visit)
  }
  tree?.forEach(visit)
  return ids
}
