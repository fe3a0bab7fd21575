import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError, type CreatedWebhook, WebhookDescription, WebhookUrl } from '@sealpost/core'
import type { TFunction } from 'i18next'
import { useForm, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { DialogTrigger } from 'react-aria-components'
import { z } from 'zod'
import { errorMessage } from '../../../i18n/error-message'
import { type ValidationKey, validationText } from '../../../i18n/validation'
import { useCopyField } from '../../../lib/use-copy-field'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Form } from '../../../ui/form'
import { FormCheckbox } from '../../../ui/form-checkbox'
import type { ErrorText } from '../../../ui/form-field-error'
import { FormTextField } from '../../../ui/form-text-field'
import { CheckIcon, CopyIcon } from '../../../ui/icons'
import { Progress } from '../../../ui/progress'
import { TextField } from '../../../ui/text-field'
import { useCreateWebhook } from './use-webhooks'
import { parseEvents, serverFieldErrors, type WebhookField } from './webhook-form'
import styles from './webhooks-page.module.css'

// Form messages that carry words of their own: the server's reason, the actions not understood.
const SERVER = 'server:'
const INVALID_EVENTS = 'invalidEvents:'

const AddForm = z
  .object({
    url: WebhookUrl,
    isAllEvents: z.boolean(),
    events: z.string(),
    description: WebhookDescription,
  })
  .superRefine((form, context) => {
    if (form.isAllEvents) return
    const parsed = parseEvents(form.events)
    if (parsed.ok) return
    context.addIssue({
      code: 'custom',
      path: ['events'],
      message:
        parsed.problem === 'invalid'
          ? `${INVALID_EVENTS}${parsed.invalid.map((word) => `“${word}”`).join(', ')}`
          : parsed.problem === 'empty'
            ? 'validation.webhookEvents'
            : 'validation.webhookEventsTooMany',
    })
  })
type AddForm = z.infer<typeof AddForm>

/** A field's words: the server's refusal as it gave it, else our own message or hint. */
function fieldText(t: TFunction, fallback: ValidationKey): ErrorText {
  const ours = validationText(t, fallback)
  return (message) => {
    if (message?.startsWith(SERVER)) {
      return t('webhooks.serverRefused', { reason: message.slice(SERVER.length) })
    }
    if (message?.startsWith(INVALID_EVENTS)) {
      return t('webhooks.invalidEvents', { events: message.slice(INVALID_EVENTS.length) })
    }
    return ours(message)
  }
}

const FIELDS: readonly WebhookField[] = ['url', 'events', 'description']

/** "Add webhook": the endpoint's URL, events and description, then its secret, shown once. */
export function AddWebhookDialog({ onCreated }: { onCreated: (id: string) => void }) {
  const { t } = useTranslation()
  return (
    <DialogTrigger>
      <Button variant="primary">{t('webhooks.add')}</Button>
      <ModalDialog title={t('webhooks.addTitle')} isDismissable={false}>
        {(close) => <AddWebhookFlow close={close} onCreated={onCreated} />}
      </ModalDialog>
    </DialogTrigger>
  )
}

function AddWebhookFlow({
  close,
  onCreated,
}: {
  close: () => void
  onCreated: (id: string) => void
}) {
  const { t } = useTranslation()
  const create = useCreateWebhook()
  const { control, handleSubmit, setError } = useForm<AddForm>({
    resolver: zodResolver(AddForm),
    defaultValues: { url: '', isAllEvents: true, events: '', description: '' },
  })
  const isAllEvents = useWatch({ control, name: 'isAllEvents' })

  if (create.data) return <WebhookCreated webhook={create.data} close={close} />

  const refused =
    create.error instanceof ApiError && create.error.code === 'invalid_input'
      ? serverFieldErrors(create.error.message)
      : {}
  const isFieldError = Object.keys(refused).length > 0

  const submit = handleSubmit((values) => {
    const parsed = parseEvents(values.events)
    const events = values.isAllEvents || !parsed.ok ? [] : parsed.events
    create.mutate(
      { url: values.url, events, description: values.description },
      {
        onSuccess: (webhook) => onCreated(webhook.id),
        onError: (error) => {
          if (!(error instanceof ApiError) || error.code !== 'invalid_input') return
          const fields = serverFieldErrors(error.message)
          const named = FIELDS.filter((field) => fields[field] !== undefined)
          named.forEach((field, index) =>
            setError(
              field,
              { message: `${SERVER}${fields[field] ?? ''}` },
              { shouldFocus: index === 0 },
            ),
          )
        },
      },
    )
  })
  const isBusy = create.isPending

  return (
    <Form onSubmit={submit}>
      <p>{t('webhooks.addIntro')}</p>
      {create.isError && !isFieldError && (
        <Alert tone="error">{errorMessage(t, create.error)}</Alert>
      )}
      <FormTextField
        control={control}
        name="url"
        label={t('webhooks.url')}
        description={t('webhooks.urlHint')}
        type="url"
        autoComplete="off"
        autoFocus
        // Read-only, not disabled, while saving: a refused address puts the focus back here.
        isReadOnly={isBusy}
        errorText={fieldText(t, 'webhookUrl')}
      />
      <FormCheckbox control={control} name="isAllEvents" isReadOnly={isBusy}>
        {t('webhooks.allEvents')}
      </FormCheckbox>
      {!isAllEvents && (
        <FormTextField
          control={control}
          name="events"
          label={t('webhooks.events')}
          description={t('webhooks.eventsHint')}
          autoComplete="off"
          isReadOnly={isBusy}
          errorText={fieldText(t, 'webhookEvents')}
        />
      )}
      <FormTextField
        control={control}
        name="description"
        label={t('webhooks.descriptionOptional')}
        autoComplete="off"
        isReadOnly={isBusy}
        errorText={fieldText(t, 'webhookDescription')}
      />
      {isBusy && <Progress label={t('webhooks.adding')} />}
      <DialogActions>
        <Button onPress={close} isDisabled={isBusy}>
          {t('webhooks.cancel')}
        </Button>
        <Button type="submit" variant="primary" isPending={isBusy}>
          {t('webhooks.addSubmit')}
        </Button>
      </DialogActions>
    </Form>
  )
}

/** The signing secret, this once, with Copy: the server keeps no way to show it again. */
function WebhookCreated({ webhook, close }: { webhook: CreatedWebhook; close: () => void }) {
  const { t } = useTranslation()
  const { status, copy, fieldProps } = useCopyField(webhook.secret)
  return (
    <>
      <Alert tone="info">{t('webhooks.created', { url: webhook.url })}</Alert>
      <div className={styles.secretRow}>
        <TextField className={styles.secret} label={t('webhooks.secret')} {...fieldProps} />
        <Button variant="primary" onPress={() => void copy()}>
          <CopyIcon />
          {t('webhooks.copy')}
        </Button>
      </div>
      <span className={styles.copied} role="status">
        {status === 'copied' && (
          <>
            <CheckIcon />
            {t('webhooks.copied')}
          </>
        )}
        {status === 'failed' && t('webhooks.copyFailed')}
      </span>
      <p>
        <strong>{t('webhooks.secretOnce')}</strong> {t('webhooks.secretUse')}
      </p>
      <DialogActions>
        <Button variant="primary" onPress={close}>
          {t('webhooks.done')}
        </Button>
      </DialogActions>
    </>
  )
}
