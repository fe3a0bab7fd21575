/**
 * Whether a modal (compose, priority, confirmation) is open: it owns the keyboard then, so page
 * shortcuts stay quiet. Toasts are non-modal alert dialogs (`aria-modal="false"`) and do not
 * count: a "Message sent" toast must not switch the shortcuts off while it shows.
 */
export function isModalOpen(): boolean {
  return (
    document.querySelector(
      ':is([role="dialog"], [role="alertdialog"]):not([aria-modal="false"])',
    ) !== null
  )
}
