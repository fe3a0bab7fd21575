import type { ReactNode } from 'react'
import {
  Button as AriaButton,
  type Key,
  Tree,
  TreeItem,
  TreeItemContent,
} from 'react-aria-components'
import { Alert } from './alert'
import { Button } from './button'
import { DialogActions, ModalDialog } from './dialog'
import styles from './folder-picker.module.css'
import { ChevronRightIcon } from './item-icons'
import { Progress } from './progress'

/**
 * The dialog of Move to… and Save as…: a word on what is chosen, the tree of places (or why
 * there is none), what went wrong, and Cancel / the action. While the action runs the dialog
 * stays open and shows its progress.
 */
export function FolderPickerDialog({
  title,
  intro,
  children,
  error,
  isPending,
  progressLabel,
  cancelLabel,
  confirmLabel,
  canConfirm,
  onConfirm,
  onClose,
}: {
  title: string
  intro: string
  /** The tree, or what stands in for it (loading, failure, nowhere to go). */
  children: ReactNode
  /** What went wrong, in words; null while nothing did. */
  error: ReactNode
  isPending: boolean
  /** Shown while the action runs; none, no progress bar. */
  progressLabel?: string
  cancelLabel: string
  confirmLabel: string
  canConfirm: boolean
  /** Runs the action; `close` closes the dialog once it succeeded. */
  onConfirm: (close: () => void) => void
  onClose: () => void
}) {
  return (
    <ModalDialog
      title={title}
      isOpen
      isDismissable={!isPending}
      isKeyboardDismissDisabled={isPending}
      onOpenChange={(isOpen) => {
        if (!isOpen) onClose()
      }}
    >
      {(close) => (
        <>
          <p className={styles.intro}>{intro}</p>
          {children}
          {error !== null && <Alert tone="error">{error}</Alert>}
          {isPending && progressLabel && <Progress label={progressLabel} />}
          <DialogActions>
            <Button onPress={close} isDisabled={isPending}>
              {cancelLabel}
            </Button>
            <Button
              variant="primary"
              isDisabled={!canConfirm}
              isPending={isPending}
              onPress={() => onConfirm(close)}
            >
              {confirmLabel}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}

/** The tree of places: one chosen at a time; disabled places open but cannot be chosen. */
export function FolderPickerTree({
  label,
  selected,
  onSelect,
  disabledKeys,
  expandedKeys,
  onExpandedChange,
  children,
}: {
  label: string
  selected: Key | null
  onSelect: (key: Key | null) => void
  disabledKeys: Iterable<Key>
  expandedKeys: Set<Key>
  onExpandedChange: (keys: Set<Key>) => void
  children: ReactNode
}) {
  return (
    <Tree
      aria-label={label}
      className={styles.tree}
      selectionMode="single"
      selectionBehavior="replace"
      disallowEmptySelection={false}
      selectedKeys={selected === null ? [] : [selected]}
      onSelectionChange={(keys) => {
        if (keys === 'all') return
        const [key] = [...keys]
        onSelect(key ?? null)
      }}
      disabledKeys={disabledKeys}
      disabledBehavior="selection"
      expandedKeys={expandedKeys}
      onExpandedChange={onExpandedChange}
      autoFocus
    >
      {children}
    </Tree>
  )
}

/** One place in the tree: a chevron when it holds places, its icon, name and state. */
export function FolderPickerItem({
  id,
  name,
  icon,
  state,
  hasChevron,
  children,
}: {
  id: Key
  name: string
  icon: ReactNode
  /** A word after the name ("Loading…"). */
  state?: string
  /** Always show the chevron (a vault's top level), not only when there are children. */
  hasChevron?: boolean
  children?: ReactNode
}) {
  return (
    <TreeItem id={id} textValue={name} className={styles.row}>
      <TreeItemContent>
        {({ hasChildItems, isExpanded }) => (
          <div className={styles.content}>
            {hasChevron || hasChildItems ? (
              <AriaButton slot="chevron" className={styles.chevron}>
                <ChevronRightIcon data-expanded={isExpanded || undefined} />
              </AriaButton>
            ) : (
              <span className={styles.spacer} />
            )}
            {icon}
            <span className={styles.name}>{name}</span>
            {state && <span className={styles.state}>{state}</span>}
          </div>
        )}
      </TreeItemContent>
      {children}
    </TreeItem>
  )
}
