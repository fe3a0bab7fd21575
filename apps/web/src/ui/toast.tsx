import { Suspense, lazy, useEffect, useState } from 'react'
import { UNSTABLE_ToastQueue as ToastQueue } from 'react-aria-components'

// The region's code (React Aria's toast and landmark) loads with the first toast: most pages,
// the sign-in page first, never show one (issue 15).
const ToastRegionView = lazy(async () => ({
  default: (await import('./toast-region')).ToastRegionView,
}))

export type ToastContentValue = {
  title: string
  description?: string
  /** An error or a warning stays until dismissed, so it can be read; a confirmation fades. */
  tone: 'error' | 'warning' | 'success'
}

/** The page's one toast queue; anything may add to it. */
export const toasts = new ToastQueue<ToastContentValue>({ maxVisibleToasts: 4 })

export function showToast(content: ToastContentValue): void {
  toasts.add(content, content.tone === 'success' ? { timeout: 5000 } : {})
}

/** The page's toasts: nothing until the first is queued, then the region, which stays. */
export function Toasts() {
  const [hasToasts, setHasToasts] = useState(() => toasts.visibleToasts.length > 0)
  useEffect(() => {
    if (hasToasts) return
    const check = () => {
      if (toasts.visibleToasts.length > 0) setHasToasts(true)
    }
    check()
    return toasts.subscribe(check)
  }, [hasToasts])
  return hasToasts ? (
    <Suspense fallback={null}>
      <ToastRegionView />
    </Suspense>
  ) : null
}
