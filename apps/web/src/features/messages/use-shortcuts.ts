import { useEffect, useRef } from 'react'
import { isModalOpen } from '../../lib/modal-open'

/** Typing in a field, or working inside a dialog, menu or list box, is never a shortcut. */
function isShortcutTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return true
  if (target.isContentEditable) return false
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return false
  return !target.closest('[role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"]')
}

/**
 * Single-key shortcuts for a page (UI.md "Keyboard": c, j, k, Esc), by KeyboardEvent.key.
 * The handlers may change on every render; the listener stays.
 */
export function useShortcuts(handlers: Record<string, (() => void) | undefined>) {
  const current = useRef(handlers)
  useEffect(() => {
    current.current = handlers
  })
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
      if (!isShortcutTarget(event.target)) return
      if (isModalOpen()) return
      const handler = current.current[event.key]
      if (!handler) return
      event.preventDefault()
      handler()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [])
}
