import { type Ref, useId } from 'react'
import { useTranslation } from 'react-i18next'
import { Button, Input, Tag, TagGroup, TagList } from 'react-aria-components'
import { CloseIcon } from '../../ui/icons'
import { addAddresses, splitAddresses } from './links/link-options'
import styles from './recipient-picker.module.css'

type EmailInputProps = {
  /** The addresses taken so far, shown as chips. */
  emails: string[]
  onEmailsChange: (emails: string[]) => void
  /** What is typed and not yet taken. */
  text: string
  onTextChange: (text: string) => void
  onBlur?: () => void
  inputRef?: Ref<HTMLInputElement>
  error?: string
  description?: string
  isDisabled?: boolean
  autoFocus?: boolean
}

/**
 * S22: the addresses a link is emailed to. Enter, comma, semicolon, space, leaving the field
 * or pasting a list turns what was typed into chips; what is not an address stays typed, so
 * it can be fixed. Backspace in the empty field removes the last chip.
 */
export function EmailInput({
  emails,
  onEmailsChange,
  text,
  onTextChange,
  onBlur,
  inputRef,
  error,
  description,
  isDisabled,
  autoFocus,
}: EmailInputProps) {
  const { t } = useTranslation()
  const inputId = useId()
  const descriptionId = useId()
  const errorId = useId()

  /** Takes the valid addresses out of `typed`; leaves the rest in the field. */
  function take(typed: string) {
    const { valid, invalid } = splitAddresses(typed)
    if (valid.length > 0) onEmailsChange(addAddresses(emails, valid))
    onTextChange(invalid.join(', '))
  }

  return (
    <div className={styles.field}>
      <label htmlFor={inputId} className={styles.label}>
        {t('compose.emails')}
      </label>
      <div className={styles.box} data-invalid={error ? '' : undefined}>
        {emails.length > 0 && (
          <TagGroup
            aria-label={t('compose.addresses')}
            onRemove={(keys) => onEmailsChange(emails.filter((address) => !keys.has(address)))}
            className={styles.tags}
          >
            <TagList items={emails.map((address) => ({ id: address }))} className={styles.tagList}>
              {(item) => (
                <Tag id={item.id} textValue={item.id} className={styles.tag}>
                  <span>{item.id}</span>
                  <Button
                    slot="remove"
                    className={styles.remove}
                    aria-label={t('compose.removeAddress', { address: item.id })}
                  >
                    <CloseIcon width="12" height="12" />
                  </Button>
                </Tag>
              )}
            </TagList>
          </TagGroup>
        )}
        <Input
          id={inputId}
          ref={inputRef}
          // Not type="email": the browser would trim the spaces and commas that end an address.
          type="text"
          autoComplete="email"
          inputMode="email"
          className={`${styles.input} ${styles.emailInput}`}
          value={text}
          disabled={isDisabled}
          autoFocus={autoFocus}
          placeholder={emails.length === 0 ? t('compose.emailsPlaceholder') : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={[description ? descriptionId : '', error ? errorId : '']
            .filter(Boolean)
            .join(' ')}
          onChange={(event) => {
            const value = event.target.value
            // A separator typed or a list pasted: take what is complete.
            if (/[\s,;]/.test(value)) take(value)
            else onTextChange(value)
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
              // Enter takes the address; it never sends the form from here.
              event.preventDefault()
              take(text)
            } else if (event.key === 'Backspace' && text === '' && emails.length > 0) {
              onEmailsChange(emails.slice(0, -1))
            }
          }}
          onBlur={() => {
            take(text)
            onBlur?.()
          }}
        />
      </div>
      {description && (
        <span id={descriptionId} className={styles.description}>
          {description}
        </span>
      )}
      {error && (
        <span id={errorId} className={styles.error}>
          {error}
        </span>
      )}
    </div>
  )
}
