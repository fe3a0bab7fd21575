import type { DirectoryUser, GroupSummary } from '@sealpost/core'
import { Controller, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { ExpiryChoice } from '../../lib/format'
import { Alert } from '../../ui/alert'
import { FormCheckbox } from '../../ui/form-checkbox'
import { FormDateTimeField } from '../../ui/form-date-time-field'
import { FormSelect } from '../../ui/form-select'
import { FormTextField } from '../../ui/form-text-field'
import { AttachedArea, BodyField, type FieldsProps, OptionsFieldset } from './compose-field-parts'
import styles from './compose-dialog.module.css'
import { expiryChoices } from './compose-policy'
import { type ComposeValues, EMAILS_MAX } from './compose-schema'
import { EmailInput } from './email-input'
import { KeyChangeWarning } from './key-change-warning'
import { useKeyChanges } from './known-keys'
import { LinkFields } from './link-fields'
import { RecipientPicker } from './recipient-picker'

const DAY_MS = 86_400_000

/** Send in-app (S3–S7): recipients, subject, message, expiry, priority, copy, files. */
export function InAppFields({
  users,
  groups,
  meId,
  focusBody,
  ...props
}: FieldsProps & {
  users: DirectoryUser[]
  groups: GroupSummary[]
  meId: string
  focusBody: boolean
}) {
  const { t } = useTranslation()
  const { control, errorText, isBusy, limits, rules, autoFocus } = props
  const recipientIds = useWatch({ control, name: 'recipients' })
  const expiry = useWatch({ control, name: 'expiry' })
  const recipients = users.filter((user) => recipientIds.includes(user.id))
  const keys = useKeyChanges(recipients)
  const changedIds = new Set(keys.changed.map((key) => key.id))
  const nameOf = (id: string) => users.find((user) => user.id === id)?.displayName ?? id
  const expiryOptions = expiryChoices(rules).map((id) => ({
    id,
    label: t(`compose.expiry.${id}`),
  }))

  return (
    <>
      <Controller
        control={control}
        name="recipients"
        render={({ field, fieldState }) => (
          <Controller
            control={control}
            name="groups"
            render={({ field: groupField }) => (
              <RecipientPicker
                users={users}
                groups={groups}
                value={{ userIds: field.value, groupIds: groupField.value }}
                onChange={(picks) => {
                  field.onChange(picks.userIds)
                  groupField.onChange(picks.groupIds)
                }}
                onBlur={field.onBlur}
                inputRef={field.ref}
                error={errorText(fieldState.error?.message)}
                meId={meId}
                changedIds={changedIds}
                isDisabled={isBusy}
                autoFocus={autoFocus && !focusBody}
              />
            )}
          />
        )}
      />
      {keys.changed.map((key) => (
        <KeyChangeWarning key={key.id} name={nameOf(key.id)} changed={key} onTrust={keys.trust} />
      ))}
      <FormTextField
        control={control}
        name="subject"
        label={t('compose.subject')}
        isDisabled={isBusy}
        autoComplete="off"
        errorText={errorText}
      />
      <BodyField
        control={control}
        errorText={errorText}
        isBusy={isBusy}
        label={t('compose.body')}
        autoFocus={autoFocus && focusBody}
      />
      <OptionsFieldset
        legend={t('compose.options')}
        row={
          <>
            <FormSelect<ComposeValues, ExpiryChoice>
              control={control}
              name="expiry"
              label={t('compose.expiresAfter')}
              options={expiryOptions}
              isDisabled={isBusy}
              className={styles.expiry}
              errorText={errorText}
            />
            {expiry === 'custom' && (
              <FormDateTimeField
                control={control}
                name="customExpiry"
                label={t('compose.expiresAt')}
                isDisabled={isBusy}
                min={new Date()}
                max={new Date(Date.now() + limits.maxExpiryDays * DAY_MS)}
                className={styles.customExpiry}
                errorText={errorText}
              />
            )}
          </>
        }
      >
        <div className={styles.priority}>
          <FormCheckbox
            control={control}
            name="highPriority"
            isDisabled={isBusy}
            aria-describedby="compose-priority-help"
          >
            {t('compose.highPriority')}
          </FormCheckbox>
          <span id="compose-priority-help" className={styles.help}>
            {t('compose.highPriorityHelp')}
          </span>
        </div>
      </OptionsFieldset>
      <AttachedArea {...props} />
    </>
  )
}

/** Send by email (S22): the addresses and a plain word on what the server sees; then a link. */
export function EmailFields(props: FieldsProps) {
  const { t } = useTranslation()
  const { control, errorText, isBusy, autoFocus, rules } = props
  const domains = rules.allowedEmailDomains
  return (
    <>
      <p className={styles.intro}>{t('compose.emailIntro')}</p>
      <Controller
        control={control}
        name="emails"
        render={({ field, fieldState }) => (
          <Controller
            control={control}
            name="emailText"
            render={({ field: text }) => (
              <EmailInput
                emails={field.value}
                onEmailsChange={field.onChange}
                text={text.value}
                onTextChange={text.onChange}
                onBlur={field.onBlur}
                inputRef={field.ref}
                isDisabled={isBusy}
                description={
                  domains.length > 0
                    ? t('compose.emailsHelpDomains', {
                        max: String(EMAILS_MAX),
                        domains: domains.join(', '),
                      })
                    : t('compose.emailsHelp', { max: String(EMAILS_MAX) })
                }
                error={errorText(fieldState.error?.message)}
                autoFocus={autoFocus}
              />
            )}
          />
        )}
      />
      <Alert tone="warning">{t('compose.emailWarning')}</Alert>
      <LinkFields {...props} autoFocus={false} isEmail />
    </>
  )
}
