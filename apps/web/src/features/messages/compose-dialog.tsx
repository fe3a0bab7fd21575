import { zodResolver } from '@hookform/resolvers/zod'
import {
  BODY_MAX,
  type DirectoryUser,
  type MessagingLimits,
  SUBJECT_MAX,
  type SendProgress,
} from '@sealpost/core'
import { type TFunction } from 'i18next'
import { useMemo, useRef, useState } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { DropZone, FileTrigger, Tab, TabList, TabPanel, Tabs, Text } from 'react-aria-components'
import { z } from 'zod'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { Checkbox } from '../../ui/checkbox'
import { DialogActions, ModalDialog } from '../../ui/dialog'
import { Form } from '../../ui/form'
import { CloseIcon, FileIcon, SendIcon, UploadIcon } from '../../ui/icons'
import { Progress, ProgressMeter } from '../../ui/progress'
import { Select } from '../../ui/select'
import { TextArea } from '../../ui/text-area'
import { TextField } from '../../ui/text-field'
import { showToast } from '../../ui/toast'
import { useSignedIn } from '../session/signed-in-context'
import styles from './compose-dialog.module.css'
import type { ComposeDraft } from './compose-draft'
import {
  EXPIRY_CHOICES,
  type ExpiryChoice,
  expiryProblem,
  expiryToIso,
  formatBytes,
  toDateTimeLocal,
} from './format'
import { KeyChangeWarning } from './key-change-warning'
import { useKeyChanges } from './known-keys'
import { RecipientPicker } from './recipient-picker'
import { useDirectory, useMessagingLimits, useSendMessage } from './use-messages'
import { useLocale } from './use-locale'

const DAY_MS = 86_400_000

/** The form's own checks; messages are keys of `compose.errors`. */
function composeSchema(maxExpiryDays: number) {
  return z
    .object({
      recipients: z.array(z.string()).min(1, 'recipients'),
      subject: z
        .string()
        .refine((s) => s.trim().length > 0, 'subjectRequired')
        .refine((s) => s.trim().length <= SUBJECT_MAX, 'subjectTooLong'),
      body: z
        .string()
        .refine((s) => s.trim().length > 0, 'bodyRequired')
        .refine((s) => s.length <= BODY_MAX, 'bodyTooLong'),
      expiry: z.enum(EXPIRY_CHOICES),
      customExpiry: z.string(),
      highPriority: z.boolean(),
    })
    .superRefine((values, ctx) => {
      const now = new Date()
      const problem = expiryProblem(
        expiryToIso(values.expiry, values.customExpiry, now),
        now,
        maxExpiryDays,
      )
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          path: [values.expiry === 'custom' ? 'customExpiry' : 'expiry'],
          message: `expiry_${problem}`,
        })
      }
    })
}
type ComposeValues = z.infer<ReturnType<typeof composeSchema>>

function errorText(
  t: TFunction,
  message: string | undefined,
  limits: MessagingLimits,
  locale: string,
) {
  switch (message) {
    case undefined:
      return undefined
    case 'recipients':
      return t('compose.errors.recipients')
    case 'subjectRequired':
      return t('compose.errors.subjectRequired')
    case 'subjectTooLong':
      return t('compose.errors.subjectTooLong', { max: String(SUBJECT_MAX) })
    case 'bodyRequired':
      return t('compose.errors.bodyRequired')
    case 'bodyTooLong':
      return t('compose.errors.bodyTooLong', { max: BODY_MAX.toLocaleString(locale) })
    case 'expiry_missing':
      return t('compose.errors.expiryMissing')
    case 'expiry_past':
      return t('compose.errors.expiryPast')
    case 'expiry_tooFar':
      return t('compose.errors.expiryTooFar', { days: String(limits.maxExpiryDays) })
    default:
      return message
  }
}

/**
 * New message / Reply (UI.md "Compose"): three ways to send as tabs at the top; in-app is
 * this one, the other two arrive with shareable links.
 */
export function ComposeDialog({ draft, onClose }: { draft: ComposeDraft; onClose: () => void }) {
  const { t } = useTranslation()
  const [isSending, setSending] = useState(false)
  return (
    <ModalDialog
      title={draft.replyTo ? t('compose.replyTitle') : t('compose.title')}
      isOpen
      onOpenChange={(isOpen) => {
        if (!isOpen) onClose()
      }}
      isDismissable={false}
      isKeyboardDismissDisabled={isSending}
      size="wide"
    >
      <Tabs defaultSelectedKey="in-app" disabledKeys={['email', 'link']} className={styles.tabs}>
        <TabList aria-label={t('compose.ways')} className={styles.tabList}>
          <Tab id="in-app" className={styles.tab}>
            {t('compose.inApp')}
          </Tab>
          <Tab id="email" className={styles.tab}>
            <span title={t('compose.availableSoon')}>{t('compose.byEmail')}</span>
            <span className={styles.soon} aria-hidden="true">
              {t('compose.soon')}
            </span>
            <span className="visually-hidden">{t('compose.availableSoonSuffix')}</span>
          </Tab>
          <Tab id="link" className={styles.tab}>
            <span title={t('compose.availableSoon')}>{t('compose.shareableLink')}</span>
            <span className={styles.soon} aria-hidden="true">
              {t('compose.soon')}
            </span>
            <span className="visually-hidden">{t('compose.availableSoonSuffix')}</span>
          </Tab>
        </TabList>
        <TabPanel id="in-app" className={styles.panel}>
          <ComposeInApp draft={draft} onDone={onClose} onSendingChange={setSending} />
        </TabPanel>
      </Tabs>
    </ModalDialog>
  )
}

type ComposeProps = {
  draft: ComposeDraft
  onDone: () => void
  onSendingChange: (isSending: boolean) => void
}

function ComposeInApp(props: ComposeProps) {
  const { t } = useTranslation()
  const directory = useDirectory()
  const limits = useMessagingLimits()
  if (directory.isError || limits.isError) {
    return (
      <Alert tone="error">
        {t('compose.loadError', { reason: errorMessage(t, directory.error ?? limits.error) })}
        <Button
          onPress={() => {
            void directory.refetch()
            void limits.refetch()
          }}
        >
          {t('messages.retry')}
        </Button>
      </Alert>
    )
  }
  if (!directory.data || !limits.data) return <Progress label={t('compose.loading')} />
  return <ComposeForm {...props} users={directory.data} limits={limits.data} />
}

function ComposeForm({
  draft,
  onDone,
  onSendingChange,
  users,
  limits,
}: ComposeProps & { users: DirectoryUser[]; limits: MessagingLimits }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const { session } = useSignedIn()
  const send = useSendMessage()
  const schema = useMemo(() => composeSchema(limits.maxExpiryDays), [limits.maxExpiryDays])
  const { control, handleSubmit, watch } = useForm<ComposeValues>({
    resolver: zodResolver(schema),
    defaultValues: {
      recipients: draft.recipientIds.filter((id) => users.some((user) => user.id === id)),
      subject: draft.subject,
      body: draft.body,
      expiry: 'none',
      customExpiry: '',
      highPriority: false,
    },
  })
  const [files, setFiles] = useState<File[]>([])
  const [fileErrors, setFileErrors] = useState<string[]>([])
  const [progress, setProgress] = useState<SendProgress | null>(null)
  // One id per draft: a retry after a failure can never send the message twice.
  const [messageId] = useState(() => crypto.randomUUID())
  const attempts = useRef(0)

  const recipientIds = watch('recipients')
  const expiry = watch('expiry')
  const recipients = users.filter((user) => recipientIds.includes(user.id))
  const keys = useKeyChanges(recipients)
  const changedIds = new Set(keys.changed.map((key) => key.id))
  const canAttach = session.user.canSendAttachments
  const isBusy = send.isPending
  const nameOf = (id: string) => users.find((user) => user.id === id)?.displayName ?? id

  function addFiles(added: File[]) {
    const problems: string[] = []
    const accepted = [...files]
    let total = accepted.reduce((sum, file) => sum + file.size, 0)
    for (const file of added) {
      if (file.size > limits.maxFileBytes) {
        problems.push(
          t('compose.errors.fileTooLarge', {
            name: file.name,
            size: formatBytes(file.size, locale),
            max: formatBytes(limits.maxFileBytes, locale),
          }),
        )
      } else if (total + file.size > limits.maxMessageBytes) {
        problems.push(
          t('compose.errors.filesTooLarge', {
            name: file.name,
            max: formatBytes(limits.maxMessageBytes, locale),
          }),
        )
      } else {
        accepted.push(file)
        total += file.size
      }
    }
    setFiles(accepted)
    setFileErrors(problems)
  }

  const submit = handleSubmit((values) => {
    const now = new Date()
    attempts.current += 1
    onSendingChange(true)
    setProgress({ sentBytes: 0, totalBytes: files.reduce((sum, file) => sum + file.size, 0) })
    send.mutate(
      {
        id: messageId,
        isRetry: attempts.current > 1,
        recipients: users.filter((user) => values.recipients.includes(user.id)),
        subject: values.subject.trim(),
        body: values.body,
        expiresAt: expiryToIso(values.expiry, values.customExpiry, now) ?? null,
        highPriority: values.highPriority,
        replyTo: draft.replyTo,
        files,
        onProgress: setProgress,
      },
      {
        onSuccess: () => {
          showToast({ tone: 'success', title: t('compose.sent') })
          onDone()
        },
        // The draft stays as it is, so the user can fix the problem and press Send again.
        onSettled: () => {
          setProgress(null)
          onSendingChange(false)
        },
      },
    )
  })

  const expiryOptions = EXPIRY_CHOICES.map((id) => ({ id, label: t(`compose.expiry.${id}`) }))
  const percent =
    progress && progress.totalBytes > 0
      ? Math.round((progress.sentBytes / progress.totalBytes) * 100)
      : null

  return (
    <Form onSubmit={submit} aria-label={t('compose.inApp')}>
      <div
        className={styles.fields}
        onKeyDown={(event) => {
          // Ctrl+Enter (⌘+Enter) sends from anywhere in the form, as in mail clients.
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit()
        }}
      >
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
              error={errorText(t, fieldState.error?.message, limits, locale)}
              meId={session.user.id}
              changedIds={changedIds}
              isDisabled={isBusy}
              autoFocus={draft.recipientIds.length === 0}
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
              error={errorText(t, fieldState.error?.message, limits, locale)}
            />
          )}
        />
        <Controller
          control={control}
          name="body"
          render={({ field, fieldState }) => (
            <TextArea
              label={t('compose.body')}
              name={field.name}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              textAreaRef={field.ref}
              isDisabled={isBusy}
              autoFocus={draft.recipientIds.length > 0}
              rows={6}
              error={errorText(t, fieldState.error?.message, limits, locale)}
            />
          )}
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
                  error={errorText(t, fieldState.error?.message, limits, locale)}
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
                    error={errorText(t, fieldState.error?.message, limits, locale)}
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

        {canAttach && (
          <div className={styles.attachments}>
            <DropZone
              className={styles.dropZone}
              isDisabled={isBusy}
              onDrop={(event) =>
                void Promise.all(
                  event.items.filter((item) => item.kind === 'file').map((item) => item.getFile()),
                ).then(addFiles)
              }
            >
              <UploadIcon className={styles.dropIcon} />
              <Text slot="label" className={styles.dropText}>
                {t('compose.dropFiles')}
              </Text>
              <FileTrigger allowsMultiple onSelect={(list) => addFiles(list ? [...list] : [])}>
                <Button isDisabled={isBusy}>{t('compose.chooseFiles')}</Button>
              </FileTrigger>
              <span className={styles.help}>
                {t('compose.fileLimits', {
                  perFile: formatBytes(limits.maxFileBytes, locale),
                  total: formatBytes(limits.maxMessageBytes, locale),
                })}
              </span>
            </DropZone>
            {fileErrors.map((problem) => (
              <Alert key={problem} tone="error">
                {problem}
              </Alert>
            ))}
            {files.length > 0 && (
              <ul className={styles.files} aria-label={t('compose.attachedFiles')}>
                {files.map((file, index) => (
                  <li key={`${file.name}-${index}`} className={styles.file}>
                    <FileIcon />
                    <span className={styles.fileName}>{file.name}</span>
                    <span className={styles.help}>{formatBytes(file.size, locale)}</span>
                    <Button
                      variant="quiet"
                      isIconOnly
                      isDisabled={isBusy}
                      aria-label={t('compose.removeFile', { name: file.name })}
                      onPress={() => setFiles(files.filter((_, i) => i !== index))}
                    >
                      <CloseIcon />
                    </Button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        {send.isError && (
          <Alert tone="error">
            {errorMessage(t, send.error)}
            <span>{t('compose.keptDraft')}</span>
          </Alert>
        )}
        {progress &&
          (percent === null ? (
            <Progress label={t('compose.sealing')} />
          ) : (
            <ProgressMeter
              label={t('compose.uploading', { percent: String(percent) })}
              percent={percent}
            />
          ))}
      </div>
      <div className={styles.footer}>
        <DialogActions>
          <Button onPress={onDone} isDisabled={isBusy}>
            {t('compose.cancel')}
          </Button>
          <Button type="submit" variant="primary" isPending={isBusy}>
            <SendIcon />
            {t('compose.send')}
          </Button>
        </DialogActions>
      </div>
    </Form>
  )
}
