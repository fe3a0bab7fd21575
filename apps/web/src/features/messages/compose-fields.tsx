import { type DirectoryUser, LINK_MAX_VIEWS, type MessagingLimits } from '@sealpost/core'
import { type ReactNode, useState } from 'react'
import { type Control, Controller, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { Alert } from '../../ui/alert'
import { Checkbox } from '../../ui/checkbox'
import { NumberField } from '../../ui/number-field'
import { Select } from '../../ui/select'
import { TextArea } from '../../ui/text-area'
import { TextField } from '../../ui/text-field'
import { type LinkExpiryChoice, linkExpiryChoices } from '../links/link-options'
import { PasswordStrengthMeter } from '../password/password-strength-meter'
import { ComposeAttachments } from './compose-attachments'
import styles from './compose-dialog.module.css'
import { type ComposeValues, EMAILS_MAX } from './compose-schema'
import { EmailInput } from './email-input'
import { EXPIRY_CHOICES, type ExpiryChoice, toDateTimeLocal } from '../../lib/format'
import { KeyChangeWarning } from './key-change-warning'
import { useKeyChanges } from './known-keys'
import { RecipientPicker } from './recipient-picker'

const DAY_MS = 86_400_000

/** What every tab's fields share: the one form, its words for errors, and whether it is busy. */
export type FieldsProps = {
  control: Control<ComposeValues>
  errorText: (message: string | undefined) => string | undefined
  isBusy: boolean
  limits: MessagingLimits
  /** The files of the form, when the user may send attachments; else null. */
  files: { list: File[]; onChange: (files: File[]) => void } | null
  /**
   * Focus the first field: when the dialog opens on this tab, not when the user switches to
   * it (the focus stays on the tabs, so the arrow keys keep moving between them).
   */
  autoFocus: boolean
  /** The attached copy of vault content (S7, S20), shown with the files. */
  copy?: ReactNode
  /** The id of the area that holds the copy and the files (the form scrolls to it). */
  attachmentsId: string
}

/** The copy and the files, in one area the form's "N attached" button brings into view. */
function AttachedArea({
  id,
  copy,
  files,
  limits,
  isBusy,
}: Pick<FieldsProps, 'copy' | 'files' | 'limits' | 'isBusy'> & { id: string }) {
  const { t } = useTranslation()
  return (
    <div
      id={id}
      role="group"
      aria-label={t('compose.attachments')}
      tabIndex={-1}
      className={styles.attachedArea}
    >
      {copy}
      {files && (
        <ComposeAttachments
          files={files.list}
          onFilesChange={files.onChange}
          limits={limits}
          isDisabled={isBusy}
        />
      )}
    </div>
  )
}

/** Send in-app (S3–S7): recipients, subject, message, expiry, priority, copy, files. */
export function InAppFields({
  control,
  errorText,
  isBusy,
  limits,
  files,
  users,
  meId,
  focusBody,
  autoFocus,
  copy,
  attachmentsId,
}: FieldsProps & {
  users: DirectoryUser[]
  meId: string
  focusBody: boolean
}) {
  const { t } = useTranslation()
  const recipientIds = useWatch({ control, name: 'recipients' })
  const expiry = useWatch({ control, name: 'expiry' })
  const recipients = users.filter((user) => recipientIds.includes(user.id))
  const keys = useKeyChanges(recipients)
  const changedIds = new Set(keys.changed.map((key) => key.id))
  const nameOf = (id: string) => users.find((user) => user.id === id)?.displayName ?? id
  const expiryOptions = EXPIRY_CHOICES.map((id) => ({ id, label: t(`compose.expiry.${id}`) }))

  return (
    <>
      <Controller
        control={control}
        name="recipients"
        render={({ field, fieldState }) => (
          <RecipientPicker
            users={users}
            value={field.value}
            onChange={field.onChange}
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
      {keys.changed.map((key) => (
        <KeyChangeWarning key={key.id} name={nameOf(key.id)} changed={key} onTrust={keys.trust} />
      ))}
      <Controller
        control={control}
        name="subject"
        render={({ field, fieldState }) => (
          <TextField
            label={t('compose.subject')}
            name={field.name}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            inputRef={field.ref}
            isDisabled={isBusy}
            autoComplete="off"
            error={errorText(fieldState.error?.message)}
          />
        )}
      />
      <BodyField
        control={control}
        errorText={errorText}
        isBusy={isBusy}
        label={t('compose.body')}
        autoFocus={autoFocus && focusBody}
      />
      <fieldset className={styles.options}>
        <legend className={styles.legend}>{t('compose.options')}</legend>
        <div className={styles.optionsRow}>
          <Controller
            control={control}
            name="expiry"
            render={({ field, fieldState }) => (
              <Select<ExpiryChoice>
                label={t('compose.expiresAfter')}
                options={expiryOptions}
                value={field.value}
                onChange={field.onChange}
                isDisabled={isBusy}
                className={styles.expiry}
                error={errorText(fieldState.error?.message)}
              />
            )}
          />
          {expiry === 'custom' && (
            <Controller
              control={control}
              name="customExpiry"
              render={({ field, fieldState }) => (
                <TextField
                  label={t('compose.expiresAt')}
                  type="datetime-local"
                  name={field.name}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  inputRef={field.ref}
                  isDisabled={isBusy}
                  min={toDateTimeLocal(new Date())}
                  max={toDateTimeLocal(new Date(Date.now() + limits.maxExpiryDays * DAY_MS))}
                  className={styles.customExpiry}
                  error={errorText(fieldState.error?.message)}
                />
              )}
            />
          )}
        </div>
        <Controller
          control={control}
          name="highPriority"
          render={({ field }) => (
            <div className={styles.priority}>
              <Checkbox
                isSelected={field.value}
                onChange={field.onChange}
                isDisabled={isBusy}
                aria-describedby="compose-priority-help"
              >
                {t('compose.highPriority')}
              </Checkbox>
              <span id="compose-priority-help" className={styles.help}>
                {t('compose.highPriorityHelp')}
              </span>
            </div>
          )}
        />
      </fieldset>
      <AttachedArea id={attachmentsId} copy={copy} files={files} limits={limits} isBusy={isBusy} />
    </>
  )
}

function BodyField({
  control,
  errorText,
  isBusy,
  label,
  description,
  autoFocus,
}: Pick<FieldsProps, 'control' | 'errorText' | 'isBusy'> & {
  label: string
  description?: string
  autoFocus?: boolean
}) {
  return (
    <Controller
      control={control}
      name="body"
      render={({ field, fieldState }) => (
        <TextArea
          label={label}
          description={description}
          name={field.name}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          textAreaRef={field.ref}
          isDisabled={isBusy}
          autoFocus={autoFocus}
          rows={6}
          error={errorText(fieldState.error?.message)}
        />
      )}
    />
  )
}

/** Send by email (S22): the addresses and a plain word on what the server sees; then a link. */
export function EmailFields(props: FieldsProps) {
  const { t } = useTranslation()
  const { control, errorText, isBusy, autoFocus } = props
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
                description={t('compose.emailsHelp', { max: String(EMAILS_MAX) })}
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

/** Create shareable link (S20): content, then how long and how often it opens, and a lock. */
export function LinkFields({
  control,
  errorText,
  isBusy,
  limits,
  files,
  autoFocus,
  copy,
  attachmentsId,
  isEmail = false,
}: FieldsProps & { isEmail?: boolean }) {
  const { t } = useTranslation()
  const [showPassphrase, setShowPassphrase] = useState(false)
  const passphrase = useWatch({ control, name: 'passphrase' })
  const maxViews = useWatch({ control, name: 'maxViews' })
  const expiryOptions = linkExpiryChoices(limits.maxExpiryDays).map((id) => ({
    id,
    label:
      id === 'max'
        ? t('compose.linkExpiry.max', { count: limits.maxExpiryDays })
        : t(`compose.linkExpiry.${id}`),
  }))

  return (
    <>
      {!isEmail && <p className={styles.intro}>{t('compose.linkIntro')}</p>}
      <Controller
        control={control}
        name="subject"
        render={({ field, fieldState }) => (
          <TextField
            label={t('compose.subjectOptional')}
            name={field.name}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            inputRef={field.ref}
            isDisabled={isBusy}
            autoComplete="off"
            autoFocus={autoFocus}
            error={errorText(fieldState.error?.message)}
          />
        )}
      />
      <BodyField
        control={control}
        errorText={errorText}
        isBusy={isBusy}
        label={t('compose.text')}
        description={files ? t('compose.textHelp') : undefined}
      />
      <AttachedArea id={attachmentsId} copy={copy} files={files} limits={limits} isBusy={isBusy} />
      <fieldset className={styles.options}>
        <legend className={styles.legend}>{t('compose.linkOptions')}</legend>
        <div className={styles.optionsRow}>
          <Controller
            control={control}
            name="linkExpiry"
            render={({ field, fieldState }) => (
              <Select<LinkExpiryChoice>
                label={t('compose.expiresAfter')}
                options={expiryOptions}
                value={field.value}
                onChange={field.onChange}
                isDisabled={isBusy}
                className={styles.expiry}
                error={errorText(fieldState.error?.message)}
              />
            )}
          />
          <Controller
            control={control}
            name="maxViews"
            render={({ field, fieldState }) => (
              <NumberField
                label={t('compose.maxViews')}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                inputRef={field.ref}
                minValue={1}
                maxValue={LINK_MAX_VIEWS}
                step={1}
                formatOptions={{ maximumFractionDigits: 0, useGrouping: false }}
                isDisabled={isBusy}
                decrementLabel={t('compose.fewerViews')}
                incrementLabel={t('compose.moreViews')}
                className={styles.views}
                error={errorText(fieldState.error?.message)}
              />
            )}
          />
        </div>
        <p className={styles.help}>
          {maxViews === 1
            ? t('compose.maxViewsOnce')
            : t('compose.maxViewsMany', { count: Number.isFinite(maxViews) ? maxViews : 0 })}
        </p>
        <div className={styles.passphrase}>
          <Controller
            control={control}
            name="passphrase"
            render={({ field, fieldState }) => (
              <TextField
                label={t('compose.passphrase')}
                type={showPassphrase ? 'text' : 'password'}
                name={field.name}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                inputRef={field.ref}
                isDisabled={isBusy}
                autoComplete="off"
                description={t('compose.passphraseHelp')}
                error={errorText(fieldState.error?.message)}
              />
            )}
          />
          <Checkbox isSelected={showPassphrase} onChange={setShowPassphrase} isDisabled={isBusy}>
            {t('compose.showPassphrase')}
          </Checkbox>
          {passphrase !== '' && (
            <PasswordStrengthMeter
              password={passphrase}
              context={[]}
              label={t('compose.passphraseStrength')}
            />
          )}
        </div>
        <Controller
          control={control}
          name="label"
          render={({ field, fieldState }) => (
            <TextField
              label={t('compose.label')}
              name={field.name}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              inputRef={field.ref}
              isDisabled={isBusy}
              autoComplete="off"
              description={t('compose.labelHelp')}
              error={errorText(fieldState.error?.message)}
            />
          )}
        />
      </fieldset>
    </>
  )
}
