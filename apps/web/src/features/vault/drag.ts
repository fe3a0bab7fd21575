import type { DecryptedItem } from '@sealpost/core'
import type { DropItem } from 'react-aria-components'

/** What a drag carries: data by MIME type (react-aria's DragItem). */
type DragItem = Record<string, string>

/*
 * Moving by drag and drop (between the navigation tree and the list): both collections put
 * the same private type on the drag, and remember what is being dragged so a drop target can
 * say at once whether it would accept it (the browser hides the data until the drop).
 */

export const ITEM_DRAG_TYPE = 'application/x-sealpost-vault-item'

export type DraggedItem = { vaultId: string; itemId: string }

let current: DraggedItem | null = null

export const currentDrag = {
  get: (): DraggedItem | null => current,
  set: (value: DraggedItem | null) => {
    current = value
  },
}

export function dragItem(vaultId: string, item: DecryptedItem): DragItem {
  return {
    [ITEM_DRAG_TYPE]: JSON.stringify({ vaultId, itemId: item.id }),
    'text/plain': item.content.name,
  }
}

/** The vault item in a drop, or null when the drop holds none (files, text from elsewhere). */
export async function droppedItem(items: DropItem[]): Promise<DraggedItem | null> {
  for (const item of items) {
    if (item.kind !== 'text' || !item.types.has(ITEM_DRAG_TYPE)) continue
    try {
      const value = JSON.parse(await item.getText(ITEM_DRAG_TYPE)) as Partial<DraggedItem>
      if (typeof value.vaultId === 'string' && typeof value.itemId === 'string') {
        return { vaultId: value.vaultId, itemId: value.itemId }
      }
    } catch {
      // Not ours after all.
    }
  }
  return null
}
