import { zodResolver } from '@hookform/resolvers/zod'
import { REQUEST_MAX_ANSWERS, REQUEST_NOTE_MAX, type MessagingLimits } from '@sealpost/core'
import { useState } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Form } from '../../../ui/form'
import { FormCheckbox } from '../../../ui/form-checkbox'
import { FormNumberField } from '../../../ui/form-number-field'
import { FormSelect } from '../../../ui/form-select'
import { FormTextArea } from '../../../ui/form-text-area'
import { FormTextField } from '../../../ui/form-text-field'
import { Progress } from '../../../ui/progress'
import { linkExpiryOptions } from '../links/link-expiry-options'
import { type LinkExpiryChoice, linkExpiryToIso, splitAddresses } from '../links/link-options'
import { useMailStatus } from '../links/use-links'
import { EmailInput } from '../email-input'
import { useMessagingLimits } from '../use-messages'
import styles from './create-request-dialog.module.css'
import {
  defaultRequestValues,
  type RequestFormValues,
  requestExpiryChoices,
  requestFormSchema,
  requestMaxDays,
} from './request-form'
import { RequestCreated } from './request-created'
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
  const expiryOptions = linkExpiryOptions(t, requestExpiryChoices(limits.maxExpiryDays), maxDays)
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
      <FormTextArea
        control={control}
        name="note"
        label={t('requests.note')}
        description={t('requests.noteHint')}
        rows={3}
        isDisabled={isBusy}
        autoFocus
        errorText={errorText}
      />
      <FormTextField
        control={control}
        name="label"
        label={t('requests.label')}
        isDisabled={isBusy}
        autoComplete="off"
        errorText={errorText}
      />
      <div className={styles.row}>
        <FormSelect<RequestFormValues, LinkExpiryChoice>
          control={control}
          name="expiry"
          label={t('requests.expiresIn')}
          options={expiryOptions}
          isDisabled={isBusy}
        />
        <FormNumberField
          control={control}
          name="maxAnswers"
          label={t('requests.maxAnswers')}
          minValue={1}
          maxValue={REQUEST_MAX_ANSWERS}
          isDisabled={isBusy}
          decrementLabel={t('requests.fewerAnswers')}
          incrementLabel={t('requests.moreAnswers')}
          errorText={errorText}
        />
      </div>
      <p className={styles.help}>
        {t('requests.answersHelp', { count: Number.isFinite(maxAnswers) ? maxAnswers : 1 })}
      </p>
      <FormCheckbox control={control} name="allowFiles" isDisabled={isBusy}>
        {t('requests.allowFiles')}
      </FormCheckbox>
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
