import type { ReactNode } from 'react'
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components'
import styles from './dialog.module.css'

type ModalDialogProps = {
  title: string
  children: ReactNode | ((close: () => void) => ReactNode)
  /** Controlled mode; leave both out inside a DialogTrigger. */
  isOpen?: boolean
  onOpenChange?: (isOpen: boolean) => void
  /** alertdialog for confirmations of destructive actions. */
  role?: 'dialog' | 'alertdialog'
  /** Outside clicks close it; Esc does unless isKeyboardDismissDisabled. */
  isDismissable?: boolean
  isKeyboardDismissDisabled?: boolean
  /** wide: forms with more than a few fields (compose). */
  size?: 'normal' | 'wide'
}

/** A centred modal: traps focus, closes on Esc, restores focus to what opened it. */
export function ModalDialog({
  title,
  children,
  isOpen,
  onOpenChange,
  role = 'dialog',
  isDismissable = true,
  isKeyboardDismissDisabled = false,
  size = 'normal',
}: ModalDialogProps) {
  return (
    <ModalOverlay
      className={styles.overlay}
      isOpen={isOpen}
      onOpenChange={onOpenChange}
      isDismissable={isDismissable}
      isKeyboardDismissDisabled={isKeyboardDismissDisabled}
    >
      <Modal className={`${styles.modal} ${size === 'wide' ? styles.wide : ''}`}>
        <Dialog className={styles.dialog} role={role}>
          {({ close }) => (
            <>
              <Heading slot="title" className={styles.title}>
                {title}
              </Heading>
              {typeof children === 'function' ? children(close) : children}
            </>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  )
}

export function DialogActions({ children }: { children: ReactNode }) {
  return <div className={styles.actions}>{children}</div>
}

/**
 * The bottom of a long form's dialog (compose, New entry): its alerts, progress and
 * DialogActions stay in view while the fields above scroll, at any height of the window.
 */
export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className={styles.footer}>{children}</div>
}
