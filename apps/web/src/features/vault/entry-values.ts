import { ItemContent } from '@sealpost/core'
import { z } from 'zod'

/*
 * The entry form's values and their translation to and from the sealed ItemContent. Limits
 * come from core's ItemContent, the schema every client and the CLI seal with.
 */

export const ENTRY_TYPES = ['credential', 'note', 'document'] as const
export type EntryType = (typeof ENTRY_TYPES)[number]

const text = (schema: z.ZodOptional<z.ZodString>, message: string) =>
  z.string().max(schema.unwrap().maxLength ?? 10_000, message)

export const EntryValues = z.object({
  type: z.enum(ENTRY_TYPES),
  name: z
    .string()
    .trim()
    .min(1, 'vault.errors.nameRequired')
    .max(ItemContent.shape.name.maxLength ?? 500, 'vault.errors.nameTooLong'),
  username: text(ItemContent.shape.username, 'vault.errors.tooLong'),
  password: text(ItemContent.shape.password, 'vault.errors.tooLong'),
  url: text(ItemContent.shape.url, 'vault.errors.tooLong'),
  notes: text(ItemContent.shape.notes, 'vault.errors.tooLong'),
  fields: z
    .array(
      z.object({
        label: z
          .string()
          .trim()
          .min(1, 'vault.errors.labelRequired')
          .max(200, 'vault.errors.tooLong'),
        value: z.string().max(10_000, 'vault.errors.tooLong'),
        hidden: z.boolean(),
      }),
    )
    .max(100),
})
export type EntryValues = z.infer<typeof EntryValues>

export function emptyValues(type: EntryType): EntryValues {
  return { type, name: '', username: '', password: '', url: '', notes: '', fields: [] }
}

export function valuesOf(content: ItemContent): EntryValues {
  return {
    type: content.type === 'folder' ? 'note' : content.type,
    name: content.name,
    username: content.username ?? '',
    password: content.password ?? '',
    url: content.url ?? '',
    notes: content.notes ?? '',
    fields: content.fields.map((f) => ({ ...f })),
  }
}

/** What gets sealed: empty fields are left out; only credentials keep username, password, URL. */
export function contentOf(values: EntryValues): Omit<ItemContent, 'files'> {
  const content: Omit<ItemContent, 'files'> = {
    name: values.name.trim(),
    type: values.type,
    fields: values.fields.map((f) => ({ label: f.label.trim(), value: f.value, hidden: f.hidden })),
  }
  if (values.type === 'credential') {
    if (values.username) content.username = values.username
    if (values.password) content.password = values.password
    if (values.url.trim()) content.url = values.url.trim()
  }
  if (values.notes) content.notes = values.notes
  return content
}
