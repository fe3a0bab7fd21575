import { type ReactNode, useEffect, useState } from 'react'
import type { DragAndDropHooks, DragAndDropOptions } from 'react-aria-components'
import type * as DragAndDrop from './drag-and-drop'

/*
 * Moving by drag and drop is not needed to show the vault, and React Aria's drag and drop weighs
 * ~12 KiB gzip: it loads when the browser is first idle after the tree or the list shows (issue
 * 15), and they take it then. Until then, a fraction of a second, rows do not drag; the Move
 * dialog and the menus work throughout.
 */

let loaded: typeof DragAndDrop | null = null
let loading: Promise<typeof DragAndDrop> | undefined

function loadDragAndDrop(): Promise<typeof DragAndDrop> {
  loading ??= import('./drag-and-drop').then((module) => (loaded = module))
  return loading
}

/** The row that has the focus, to give it back after the collection mounts again. */
type FocusedRow = { collection: string; key: string }

function focusedRow(): FocusedRow | null {
  const row = document.activeElement?.closest<HTMLElement>('[role="row"][data-key]')
  const collection = row?.closest('[role="grid"], [role="treegrid"]')?.getAttribute('aria-label')
  return row?.dataset.key && collection ? { collection, key: row.dataset.key } : null
}

/** Gives the focus back to `row` if it is in this page and nothing else took the focus since. */
function refocus(row: FocusedRow | null) {
  if (!row || (document.activeElement && document.activeElement !== document.body)) return
  document
    .querySelector<HTMLElement>(
      `[aria-label="${CSS.escape(row.collection)}"] [role="row"][data-key="${CSS.escape(row.key)}"]`,
    )
    ?.focus()
}

function useDragAndDropModule(): {
  module: typeof DragAndDrop | null
  hadFocus: FocusedRow | null
} {
  const [state, setState] = useState<{
    module: typeof DragAndDrop | null
    hadFocus: FocusedRow | null
  }>({ module: loaded, hadFocus: null })
  const { module } = state
  useEffect(() => {
    if (module) return
    let live = true
    const load = () =>
      void loadDragAndDrop().then((next) => {
        if (live) setState({ module: next, hadFocus: focusedRow() })
      })
    // Safari has no requestIdleCallback.
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(load, { timeout: 2000 })
      return () => {
        live = false
        cancelIdleCallback(id)
      }
    }
    const id = window.setTimeout(load, 200)
    return () => {
      live = false
      window.clearTimeout(id)
    }
  }, [module])
  return state
}

function WithHooks({
  module,
  options,
  hadFocus,
  children,
}: {
  module: typeof DragAndDrop
  options: DragAndDropOptions
  hadFocus: FocusedRow | null
  children: (hooks: DragAndDropHooks) => ReactNode
}) {
  const { dragAndDropHooks } = module.useDragAndDrop(options)
  useEffect(() => {
    // The rows may come a frame after the collection.
    refocus(hadFocus)
    const frame = requestAnimationFrame(() => refocus(hadFocus))
    return () => cancelAnimationFrame(frame)
  }, [hadFocus])
  return children(dragAndDropHooks)
}

/**
 * Renders a collection without drag and drop, then with it once loaded: React Aria's collections
 * take their hooks when they mount, so the collection mounts again then, and the row that had the
 * focus keeps it.
 */
export function WithDragAndDrop({
  options,
  children,
}: {
  options: DragAndDropOptions
  children: (hooks?: DragAndDropHooks) => ReactNode
}) {
  const { module, hadFocus } = useDragAndDropModule()
  return module ? (
    <WithHooks module={module} options={options} hadFocus={hadFocus}>
      {children}
    </WithHooks>
  ) : (
    children()
  )
}
