import type { DirectoryUser } from '@sealpost/core'
import { type Ref, useContext, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  Button,
  ComboBox,
  ComboBoxStateContext,
  Input,
  type Key,
  ListBox,
  ListBoxItem,
  Popover,
  Tag,
  TagGroup,
  TagList,
  useFilter,
} from 'react-aria-components'
import { AlertIcon, ChevronDownIcon, CloseIcon } from '../../ui/icons'
import styles from './recipient-picker.module.css'

type RecipientPickerProps = {
  users: DirectoryUser[]
  value: string[]
  onChange: (ids: string[]) => void
  onBlur?: () => void
  inputRef?: Ref<HTMLInputElement>
  error?: string
  meId: string
  /** Recipients whose keys changed since this browser last saw them. */
  changedIds: ReadonlySet<string>
  isDisabled?: boolean
  autoFocus?: boolean
}

/**
 * S3: "To" — type to search the organisation's active users by name or username (or open
 * the whole list with ↓ or the chevron), pick with Enter; picked users become chips
 * (Backspace in the empty field removes the last one).
 */
export function RecipientPicker({
  users,
  value,
  onChange,
  onBlur,
  inputRef,
  error,
  meId,
  changedIds,
  isDisabled,
  autoFocus,
}: RecipientPickerProps) {
  const { t } = useTranslation()
  const labelId = useId()
  const errorId = useId()
  const [input, setInput] = useState('')
  /*
   * Clearing the field after a pick would open the list again (over Subject, offering the
   * rest): it stays closed until the user types again, presses ↓ or the chevron.
   */
  const [justPicked, setJustPicked] = useState(false)
  const [picks, setPicks] = useState(0)
  const { contains } = useFilter({ sensitivity: 'base' })
  const selected = value
    .map((id) => users.find((user) => user.id === id))
    .filter((user): user is DirectoryUser => user !== undefined)
  const available = users.filter(
    (user) =>
      !value.includes(user.id) &&
      (contains(user.displayName, input) || contains(user.username, input)),
  )

  function add(key: Key | null) {
    if (key === null) return
    const id = String(key)
    if (!value.includes(id)) onChange([...value, id])
    setJustPicked(true)
    setPicks((count) => count + 1)
    setInput('')
  }

  return (
    <div className={styles.field}>
      <span id={labelId} className={styles.label}>
        {t('compose.to')}
      </span>
      <div className={styles.box} data-invalid={error ? '' : undefined}>
        {selected.length > 0 && (
          <TagGroup
            aria-label={t('compose.recipients')}
            onRemove={(keys) => onChange(value.filter((id) => !keys.has(id)))}
            className={styles.tags}
          >
            <TagList items={selected} className={styles.tagList}>
              {(user) => {
                const isChanged = changedIds.has(user.id)
                return (
                  <Tag
                    id={user.id}
                    textValue={user.displayName}
                    className={`${styles.tag} ${isChanged ? styles.changed : ''}`}
                  >
                    {isChanged && <AlertIcon width="14" height="14" />}
                    <span>{user.displayName}</span>
                    <Button
                      slot="remove"
                      className={styles.remove}
                      aria-label={t('compose.removeRecipient', { name: user.displayName })}
                    >
                      <CloseIcon width="12" height="12" />
                    </Button>
                  </Tag>
                )
              }}
            </TagList>
          </TagGroup>
        )}
        <ComboBox
          aria-labelledby={labelId}
          aria-describedby={error ? errorId : undefined}
          items={available}
          value={null}
          onChange={add}
          inputValue={input}
          onInputChange={(text) => {
            setInput(text)
            if (text !== '') setJustPicked(false)
          }}
          menuTrigger={justPicked ? 'manual' : 'input'}
          allowsEmptyCollection
          isInvalid={Boolean(error)}
          isDisabled={isDisabled}
          onBlur={onBlur}
          className={styles.combo}
        >
          <Input
            ref={inputRef}
            className={styles.input}
            autoFocus={autoFocus}
            placeholder={selected.length === 0 ? t('compose.toPlaceholder') : undefined}
            onKeyDown={(event) => {
              if (event.key === 'Backspace' && input === '' && value.length > 0) {
                onChange(value.slice(0, -1))
              }
            }}
          />
          <CloseAfterPick picks={picks} />
          <Button className={styles.toggle} aria-label={t('compose.showRecipients')}>
            <ChevronDownIcon />
          </Button>
          <Popover className={styles.popover} placement="bottom start">
            {/* A landmark, as everything else on the page: the popover lives outside the dialog. */}
            <div role="region" aria-label={t('compose.recipientSuggestions')}>
              <ListBox
                className={styles.options}
                renderEmptyState={() => (
                  <div className={styles.noMatches}>{t('compose.noMatches')}</div>
                )}
              >
                {(user: DirectoryUser) => (
                  <ListBoxItem
                    id={user.id}
                    textValue={`${user.displayName} (${user.username})`}
                    className={styles.option}
                  >
                    <span className={styles.optionName}>
                      {user.displayName}
                      {user.id === meId && ` (${t('messages.you')})`}
                    </span>
                    <span className={styles.optionUsername}>{user.username}</span>
                  </ListBoxItem>
                )}
              </ListBox>
            </div>
          </Popover>
        </ComboBox>
      </div>
      {error && (
        <span id={errorId} className={styles.error}>
          {error}
        </span>
      )}
    </div>
  )
}

/**
 * The picker's value stays empty (the picks are chips), so react-aria never sees a selection
 * change and keeps the list open: close it after each pick.
 */
function CloseAfterPick({ picks }: { picks: number }) {
  const state = useContext(ComboBoxStateContext)
  useEffect(() => {
    if (picks > 0) state?.close()
    // Only a new pick closes the list; the state object changes on every render.
  }, [picks])
  return null
}
