import type { ItemType } from '@sealpost/core'
import { DocumentIcon, FolderIcon, KeyIcon, NoteIcon } from './item-icons'

/** The picture of an item's type; decorative, the row names the type in words. */
export function ItemIcon({ type, className }: { type: ItemType; className?: string }) {
  switch (type) {
    case 'folder':
      return <FolderIcon className={className} />
    case 'credential':
      return <KeyIcon className={className} />
    case 'note':
      return <NoteIcon className={className} />
    case 'document':
      return <DocumentIcon className={className} />
  }
}
