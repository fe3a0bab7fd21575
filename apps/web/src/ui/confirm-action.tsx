import type { ReactNode } from 'react'
import { DialogTrigger } from 'react-aria-components'
import { Alert } from './alert'
import { Button } from './button'
import { DialogActions, ModalDialog } from './dialog'

/**
 * A quiet destructive button that asks first: an alert dialog with Cancel (focused) and the
 * action again, which shows progress and, on failure, what went wrong.
 */
export function ConfirmAction({
  label,
  icon,
  title,
  body,
  cancelLabel,
  describedBy,
  className,
  isPending,
  error,
  onConfirm,
}: {
  label: string
  icon: ReactNode
  title: string
  body: string
  cancelLabel: string
  /** The id of what the action is about (the row's title). */
  describedBy: string
  className?: string
  isPending: boolean
  /** What went wrong, in words; null while nothing did. */
  error: string | null
  /** Runs the action; `close` closes the dialog once it succeeded. */
  onConfirm: (close: () => void) => void
}) {
  return (
    <DialogTrigger>
      <Button variant="quiet" className={className} aria-describedby={describedBy}>
        {icon}
        {label}
      </Button>
      <ModalDialog title={title} role="alertdialog">
        {(close) => (
          <>
            <p>{body}</p>
            {error !== null && <Alert tone="error">{error}</Alert>}
            <DialogActions>
              <Button onPress={close} isDisabled={isPending} autoFocus>
                {cancelLabel}
              </Button>
              <Button variant="danger" isPending={isPending} onPress={() => onConfirm(close)}>
                {label}
              </Button>
            </DialogActions>
          </>
        )}
      </ModalDialog>
    </DialogTrigger>
  )
}
