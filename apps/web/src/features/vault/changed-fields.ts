import type { ItemContent } from '@sealpost/core'

/*
 * What changed between two revisions of an item, for the history panel. It names fields,
 * never their values: only the item's name (shown in the tree anyway) and file names appear.
 */

export type FieldChange =
  | { field: 'name'; from: string; to: string }
  | { field: 'type' | 'username' | 'password' | 'url' | 'notes' }
  | { field: 'custom'; label: string; change: 'added' | 'removed' | 'changed' }
  | { field: 'file'; name: string; change: 'added' | 'removed' }

const PLAIN_FIELDS = ['type', 'username', 'password', 'url', 'notes'] as const

type CustomField = ItemContent['fields'][number]

/** Custom fields keyed by label; a repeated label gets its position ("#2") to pair them up. */
function keyedFields(fields: readonly CustomField[]): Map<string, CustomField> {
  const seen = new Map<string, number>()
  const keyed = new Map<string, CustomField>()
  for (const field of fields) {
    const n = (seen.get(field.label) ?? 0) + 1
    seen.set(field.label, n)
    keyed.set(n === 1 ? field.label : `${field.label}\u0000${n}`, field)
  }
  return keyed
}

/** The changes from `before` to `after`; `before` null means the item was created. */
export function changedFields(before: ItemContent | null, after: ItemContent): FieldChange[] {
  if (!before) return []
  const changes: FieldChange[] = []
  if (before.name !== after.name) changes.push({ field: 'name', from: before.name, to: after.name })
  for (const field of PLAIN_FIELDS) {
    if ((before[field] ?? '') !== (after[field] ?? '')) changes.push({ field })
  }

  const oldFields = keyedFields(before.fields)
  const newFields = keyedFields(after.fields)
  for (const [key, field] of newFields) {
    const old = oldFields.get(key)
    if (!old) changes.push({ field: 'custom', label: field.label, change: 'added' })
    else if (old.value !== field.value || old.hidden !== field.hidden) {
      changes.push({ field: 'custom', label: field.label, change: 'changed' })
    }
  }
  for (const [key, field] of oldFields) {
    if (!newFields.has(key)) {
      changes.push({ field: 'custom', label: field.label, change: 'removed' })
    }
  }

  const oldFiles = new Set(before.files.map((f) => f.blobId))
  const newFiles = new Set(after.files.map((f) => f.blobId))
  for (const file of after.files) {
    if (!oldFiles.has(file.blobId)) {
      changes.push({ field: 'file', name: file.name, change: 'added' })
    }
  }
  for (const file of before.files) {
    if (!newFiles.has(file.blobId)) {
      changes.push({ field: 'file', name: file.name, change: 'removed' })
    }
  }
  return changes
}
