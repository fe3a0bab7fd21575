import type { DirectoryUser, GroupSummary } from '@sealpost/core'
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
import { AlertIcon, ChevronDownIcon, CloseIcon, GroupIcon } from '../../ui/icons'
import { type Recipient, type RecipientPicks, recipientChoices } from './recipient-choices'
import styles from './recipient-picker.module.css'

type RecipientPickerProps = {
  users: DirectoryUser[]
  /** The organisation's groups; a chosen one is expanded to its members when the message goes. */
  groups: GroupSummary[]
  value: RecipientPicks
  onChange: (picks: RecipientPicks) => void
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
 * S3: "To" — type to search the organisation's groups and active users by name or username
 * (or open the whole list with ↓ or the chevron), pick with Enter; picks become chips
 * (Backspace in the empty field removes the last one). Groups come first ("Ops · 5 people").
 */
export function RecipientPicker({
  users,
  groups,
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
  const {
    selected,
    available,
    add: addPick,
    remove,
  } = recipientChoices({
    users,
    groups,
    picks: value,
    matches: (text) => contains(text, input),
  })
  const groupLabel = (group: GroupSummary) =>
    t('compose.groupOption', { name: group.name, count: group.memberCount })

  function add(key: Key | null) {
    if (key === null) return
    onChange(addPick(String(key)))
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
            onRemove={(keys) => onChange(remove([...keys].map(String)))}
            className={styles.tags}
          >
            <TagList items={selected} className={styles.tagList}>
              {(recipient: Recipient) => {
                if (recipient.kind === 'group') {
                  const { group } = recipient
                  return (
                    <Tag id={recipient.id} textValue={groupLabel(group)} className={styles.tag}>
                      <GroupIcon width="14" height="14" />
                      <span>{groupLabel(group)}</span>
                      <Button
                        slot="remove"
                        className={styles.remove}
                        aria-label={t('compose.removeRecipient', { name: group.name })}
                      >
                        <CloseIcon width="12" height="12" />
                      </Button>
                    </Tag>
                  )
                }
                const { user } = recipient
                const isChanged = changedIds.has(user.id)
                return (
                  <Tag
                    id={recipient.id}
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
              const last = selected.at(-1)
              if (event.key === 'Backspace' && input === '' && last) onChange(remove([last.id]))
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
                {(recipient: Recipient) =>
                  recipient.kind === 'group' ? (
                    <ListBoxItem
                      id={recipient.id}
                      textValue={groupLabel(recipient.group)}
                      className={styles.option}
                    >
                      <span className={`${styles.optionName} ${styles.groupName}`}>
                        <GroupIcon width="14" height="14" />
                        {recipient.group.name}
                      </span>
                      {/* Heard as "Ops · 5 people", the form the chip shows. */}
                      <span className="visually-hidden"> · </span>
                      <span className={styles.optionUsername}>
                        {t('compose.groupPeople', { count: recipient.group.memberCount })}
                      </span>
                    </ListBoxItem>
                  ) : (
                    <ListBoxItem
                      id={recipient.id}
                      textValue={`${recipient.user.displayName} (${recipient.user.username})`}
                      className={styles.option}
                    >
                      <span className={styles.optionName}>
                        {recipient.user.displayName}
                        {recipient.user.id === meId && ` (${t('messages.you')})`}
                      </span>
                      <span className={styles.optionUsername}>{recipient.user.username}</span>
                    </ListBoxItem>
                  )
                }
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
