import { Suspense, lazy } from 'react'
import { withAppStrings } from '../../i18n'
import { usePriorityMessages } from './use-unread'

// The popup's code (the message view) loads when a high-priority message is there to show, not
// with every page (issue 15).
const PriorityModal = lazy(async () => ({
  default: (await withAppStrings(import('./priority-modal'))).PriorityModal,
}))

/**
 * S5, S18: unread high-priority messages, one after another, in front of everything, until
 * closed. Closing marks the message read, which closes it in the user's other tabs too
 * (their `message.read` event refreshes this list).
 */
export function PriorityMessages() {
  const priority = usePriorityMessages()
  const items = priority.data ?? []
  const current = items[0]
  if (!current) return null
  return (
    <Suspense fallback={null}>
      <PriorityModal
        key={current.detail.envelope.id}
        message={current}
        position={{ index: 1, count: items.length }}
      />
    </Suspense>
  )
}
