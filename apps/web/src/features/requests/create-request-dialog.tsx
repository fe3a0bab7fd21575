import { zodResolver } from '@hookform/resolvers/zod'
import { REQUEST_MAX_ANSWERS, REQUEST_NOTE_MAX, type MessagingLimits } from '@sealpost/core'
import { useRef, useState } from 'react'
import { Controller, useForm, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../i18n/error-message'
import { exactTime } from '../../lib/format'
import { useLocale } from '../../lib/use-locale'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { Checkbox } from '../../ui/checkbox'
import { DialogActions, ModalDialog } from '../../ui/dialog'
import { Form } from '../../ui/form'
import { AlertIcon, CheckIcon, CopyIcon } from '../../ui/icons'
import { NumberField } from '../../ui/number-field'
import { Progress } from '../../ui/progress'
import { Select } from '../../ui/select'
import { TextArea } from '../../ui/text-area'
import { TextField } from '../../ui/text-field'
import { type LinkExpiryChoice, linkExpiryToIso, splitAddresses } from '../links/link-options'
import { useMailStatus } from '../links/use-links'
import { EmailInput } from '../messages/email-input'
import { useMessagingLimits } from '../messages/use-messages'
import styles from './create-request-dialog.module.css'
import {
  defaultRequestValues,
  type RequestFormValues,
  requestExpiryChoices,
  requestFormSchema,
  requestMaxDays,
} from './request-form'
import { type CreatedRequest, useCreateRequest } from './use-requests'

/** Request a secret: what to ask, how long and how often, optionally by email; then the link. */
export function CreateRequestDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const [created, setCreated] = useState<CreatedRequest | null>(null)
  const [isBusy, setBusy] = useState(false)
  return (
    <ModalDialog
      title={created ? t('requests.createdTitle') : t('requests.dialogTitle')}
      isOpen
      onOpenChange={(isOpen) => {
        if (!isOpen) onClose()
      }}
      isDismissable={false}
      isKeyboardDismissDisabled={isBusy}
      size="wide"
    >
      {created ? (
        <RequestCreated request={created} onDone={onClose} />
      ) : (
        <RequestFormLoader onCreated={setCreated} onBusyChange={setBusy} onCancel={onClose} />
      )}
    </ModalDialog>
  )
}

function RequestFormLoader(props: {
  onCreated: (request: CreatedRequest) => void
  onBusyChange: (isBusy: boolean) => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const limits = useMessagingLimits()
  const mail = useMailStatus(true)
  if (limits.error) {
    return (
      <Alert tone="error">
        {t('compose.loadError', { reason: errorMessage(t, limits.error) })}
        <Button onPress={() => void limits.refetch()}>{t('messages.retry')}</Button>
      </Alert>
    )
  }
  if (!limits.data) return <Progress label={t('compose.loading')} />
  return <RequestForm {...props} limits={limits.data} canEmail={mail.data?.enabled === true} />
}

function RequestForm({
  limits,
  canEmail,
  onCreated,
  onBusyChange,
  onCancel,
}: {
  limits: MessagingLimits
  canEmail: boolean
  onCreated: (request: CreatedRequest) => void
  onBusyChange: (isBusy: boolean) => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const create = useCreateRequest()
  const [emails, setEmails] = useState<string[]>([])
  const [typed, setTyped] = useState('')
  const [emailError, setEmailError] = useState<string | undefined>()
  const { control, handleSubmit } = useForm<RequestFormValues>({
    resolver: zodResolver(requestFormSchema),
    defaultValues: defaultRequestValues(limits.maxExpiryDays),
  })
  const maxAnswers = useWatch({ control, name: 'maxAnswers' })
  const isBusy = create.isPending
  const maxDays = requestMaxDays(limits.maxExpiryDays)
  const expiryOptions = requestExpiryChoices(limits.maxExpiryDays).map((id) => ({
    id,
    label:
      id === 'max'
        ? t('compose.linkExpiry.max', { count: maxDays })
        : t(`compose.linkExpiry.${id}`),
  }))
  const errorText = (message: string | undefined) => {
    if (message === 'note_required') return t('requests.noteRequired')
    if (message === 'note_too_long') {
      return t('requests.noteTooLong', { max: String(REQUEST_NOTE_MAX) })
    }
    return message
  }

  const submit = handleSubmit((values) => {
    // What is still typed must become addresses too, or be fixed first.
    const { valid, invalid } = splitAddresses(typed)
    if (invalid.length > 0) {
      setEmailError(t('compose.errors.emailInvalid', { address: invalid[0] ?? '' }))
      return
    }
    setEmailError(undefined)
    onBusyChange(true)
    create.mutate(
      {
        note: values.note.trim(),
        label: values.label.trim(),
        expiresAt: linkExpiryToIso(values.expiry, new Date(), maxDays),
        maxAnswers: values.maxAnswers,
        allowFiles: values.allowFiles,
        emailTo: [...emails, ...valid],
      },
      { onSuccess: onCreated, onSettled: () => onBusyChange(false) },
    )
  })

  return (
    <Form onSubmit={submit}>
      <Controller
        control={control}
        name="note"
        render={({ field, fieldState }) => (
          <TextArea
            label={t('requests.note')}
            description={t('requests.noteHint')}
            name={field.name}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            textAreaRef={field.ref}
            rows={3}
            isDisabled={isBusy}
            autoFocus
            error={errorText(fieldState.error?.message)}
          />
        )}
      />
      <Controller
        control={control}
        name="label"
        render={({ field, fieldState }) => (
          <TextField
            label={t('requests.label')}
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
      <div className={styles.row}>
        <Controller
          control={control}
          name="expiry"
          render={({ field }) => (
            <Select<LinkExpiryChoice>
              label={t('requests.expiresIn')}
              options={expiryOptions}
              value={field.value}
              onChange={field.onChange}
              isDisabled={isBusy}
            />
          )}
        />
        <Controller
          control={control}
          name="maxAnswers"
          render={({ field, fieldState }) => (
            <NumberField
              label={t('requests.maxAnswers')}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              inputRef={field.ref}
              minValue={1}
              maxValue={REQUEST_MAX_ANSWERS}
              step={1}
              formatOptions={{ maximumFractionDigits: 0, useGrouping: false }}
              isDisabled={isBusy}
              decrementLabel={t('requests.fewerAnswers')}
              incrementLabel={t('requests.moreAnswers')}
              error={errorText(fieldState.error?.message)}
            />
          )}
        />
      </div>
      <p className={styles.help}>
        {t('requests.answersHelp', { count: Number.isFinite(maxAnswers) ? maxAnswers : 1 })}
      </p>
      <Controller
        control={control}
        name="allowFiles"
        render={({ field }) => (
          <Checkbox isSelected={field.value} onChange={field.onChange} isDisabled={isBusy}>
            {t('requests.allowFiles')}
          </Checkbox>
        )}
      />
      {canEmail ? (
        <EmailInput
          emails={emails}
          onEmailsChange={setEmails}
          text={typed}
          onTextChange={setTyped}
          isDisabled={isBusy}
          description={t('requests.emailHint')}
          error={emailError}
        />
      ) : (
        <p className={styles.help}>{t('requests.emailOff')}</p>
      )}
      {create.isError && <Alert tone="error">{errorMessage(t, create.error)}</Alert>}
      <DialogActions>
        <Button onPress={onCancel} isDisabled={isBusy}>
          {t('requests.cancel')}
        </Button>
        <Button type="submit" variant="primary" isPending={isBusy}>
          {t('requests.create')}
        </Button>
      </DialogActions>
      {isBusy && <Progress label={t('requests.creating')} />}
    </Form>
  )
}

/** The link, to copy (it can be copied again from Requests), and each address's delivery. */
function RequestCreated({ request, onDone }: { request: CreatedRequest; onDone: () => void }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const inputRef = useRef<HTMLInputElement>(null)
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')
  const email = request.email

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(request.url)
      setCopy('copied')
    } catch {
      inputRef.current?.select()
      setCopy('failed')
    }
  }

  return (
    <div className={styles.created}>
      <p>{t('requests.createdBody')}</p>
      {email?.failure != null && (
        <Alert tone="error">
          {t('requests.emailFailed', { reason: errorMessage(t, email.failure) })}
        </Alert>
      )}
      {email && email.results.length > 0 && (
        <ul className={styles.results}>
          {email.results.map((result) => (
            <li key={result.to} className={result.ok ? styles.sent : styles.failed}>
              {result.ok ? <CheckIcon /> : <AlertIcon width="16" height="16" />}
              <span>
                {result.ok
                  ? t('requests.emailedTo', { address: result.to })
                  : t('requests.emailFailedTo', { address: result.to, error: result.error ?? '' })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className={styles.row}>
        <TextField
          className={styles.link}
          label={t('requests.link')}
          value={request.url}
          isReadOnly
          inputRef={inputRef}
          onFocus={() => inputRef.current?.select()}
          autoFocus
        />
        <Button variant="primary" onPress={() => void copyLink()}>
          <CopyIcon />
          {t('requests.copyLink')}
        </Button>
      </div>
      <span className={styles.copied} role="status">
        {copy === 'copied' && t('requests.linkCopied')}
        {copy === 'failed' && t('requests.linkCopyFailed')}
      </span>
      <p className={styles.help}>{exactTime(request.expiresAt, locale)}</p>
      <DialogActions>
        <Button onPress={onDone}>{t('requests.done')}</Button>
      </DialogActions>
    </div>
  )
}
