import { zodResolver } from '@hookform/resolvers/zod'
import type { DirectoryUser, MessagingLimits, SendProgress } from '@sealpost/core'
import type { TFunction } from 'i18next'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { DialogActions, ModalDialog } from '../../ui/dialog'
import { EnvelopeIcon, InfoIcon, LinkIcon, PaperclipIcon, SendIcon } from '../../ui/icons'
import { Progress, ProgressMeter } from '../../ui/progress'
import { showToast } from '../../ui/toast'
import { LinkCreated, isEmailedToAll } from '../links/link-created'
import {
  addAddresses,
  defaultLinkExpiry,
  linkExpiryToIso,
  splitAddresses,
} from '../links/link-options'
import { type CreatedLink, useCreateLink, useMailStatus } from '../links/use-links'
import { useSignedIn } from '../session/signed-in-context'
import { CopyChip } from '../vault-copy/copy-chip'
import { type CopySource, useCopySource } from '../vault-copy/use-copy-source'
import styles from './compose-dialog.module.css'
import type { ComposeDraft } from './compose-draft'
import type { FieldsProps } from './compose-field-parts'
import { EmailFields, InAppFields } from './compose-fields'
import { LinkFields } from './link-fields'
import {
  type ComposeMode,
  type ComposeValues,
  composeErrorText,
  composeSchema,
} from './compose-schema'
import { expiryToIso, formatBytes } from '../../lib/format'
import { CopyGoneError, useDirectory, useMessagingLimits, useSendMessage } from './use-messages'
import { useLocale } from '../../lib/use-locale'

function createdTitle(t: TFunction, link: CreatedLink): string {
  if (!link.email) return t('compose.linkCreatedTitle')
  return isEmailedToAll(link) ? t('compose.emailSentTitle') : t('compose.emailFailedTitle')
}

/**
 * New message / Reply (S2, UI.md "Compose"): Send in-app, Send by email and Create shareable
 * link are tabs of one form, so switching keeps what was typed. A link ends in its result:
 * the URL, shown this once.
 */
export function ComposeDialog({ draft, onClose }: { draft: ComposeDraft; onClose: () => void }) {
  const { t } = useTranslation()
  const [isSending, setSending] = useState(false)
  const [created, setCreated] = useState<CreatedLink | null>(null)
  const title = created
    ? createdTitle(t, created)
    : draft.replyTo
      ? t('compose.replyTitle')
      : t('compose.title')
  return (
    <ModalDialog
      title={title}
      isOpen
      onOpenChange={(isOpen) => {
        if (!isOpen) onClose()
      }}
      isDismissable={false}
      isKeyboardDismissDisabled={isSending}
      size="wide"
    >
      {created ? (
        <LinkCreated link={created} onDone={onClose} />
      ) : (
        <ComposeLoader
          draft={draft}
          onDone={onClose}
          onSendingChange={setSending}
          onCreated={setCreated}
        />
      )}
    </ModalDialog>
  )
}

type ComposeProps = {
  draft: ComposeDraft
  onDone: () => void
  onSendingChange: (isSending: boolean) => void
  onCreated: (link: CreatedLink) => void
}

function ComposeLoader(props: ComposeProps) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const canInApp = session.user.canSendMessages
  // A reply goes back in-app; links are for people outside (S20).
  const canLinks = session.user.canCreateLinks && props.draft.replyTo === null
  const directory = useDirectory(canInApp)
  const limits = useMessagingLimits()
  const mail = useMailStatus(canLinks)
  const failure = (canInApp ? directory.error : null) ?? limits.error
  if (failure) {
    return (
      <Alert tone="error">
        {t('compose.loadError', { reason: errorMessage(t, failure) })}
        <Button
          onPress={() => {
            if (canInApp) void directory.refetch()
            void limits.refetch()
          }}
        >
          {t('messages.retry')}
        </Button>
      </Alert>
    )
  }
  if ((canInApp && !directory.data) || !limits.data) {
    return <Progress label={t('compose.loading')} />
  }
  return (
    <ComposeForm
      {...props}
      users={directory.data ?? []}
      limits={limits.data}
      canInApp={canInApp}
      canLinks={canLinks}
      // Until the server says it can send email, the tab stays disabled.
      canEmail={mail.data?.enabled === true}
      isEmailOff={mail.data?.enabled === false}
    />
  )
}

function ComposeForm({
  draft,
  onDone,
  onSendingChange,
  onCreated,
  users,
  limits,
  canInApp,
  canLinks,
  canEmail,
  isEmailOff,
}: ComposeProps & {
  users: DirectoryUser[]
  limits: MessagingLimits
  canInApp: boolean
  canLinks: boolean
  canEmail: boolean
  /** The server said it has no SMTP: say so, with what an administrator can do. */
  isEmailOff: boolean
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const { session } = useSignedIn()
  const send = useSendMessage()
  const create = useCreateLink()
  const canAttach = session.user.canSendAttachments
  // S7, S9, S20: a copy of vault content goes in-app or as a link, by someone who may send
  // attachments.
  const [copy, setCopy] = useState(() =>
    canAttach && (canInApp || canLinks) ? (draft.copy ?? null) : null,
  )
  const source = useCopySource(copy)
  const [mode, setMode] = useState<ComposeMode>(() => {
    if (copy && draft.mode !== 'link' && canInApp) return 'in-app'
    if (draft.mode === 'link' && canLinks) return 'link'
    if (draft.mode === 'email' && canLinks && canEmail) return 'email'
    return canInApp ? 'in-app' : 'link'
  })
  const [hasSwitched, setSwitched] = useState(false)
  const [files, setFiles] = useState<File[]>([])
  const [progress, setProgress] = useState<SendProgress | null>(null)
  const [isEmailing, setEmailing] = useState(false)
  // One id per draft: a retry after a failure can never send the message twice.
  const [messageId] = useState(() => crypto.randomUUID())
  const attempts = useRef(0)
  const attachmentsId = useId()
  const shortcutId = useId()
  const schema = useMemo(
    // A link's text is optional when it carries files or a copy.
    () =>
      composeSchema(mode, limits.maxExpiryDays, canAttach && (files.length > 0 || copy !== null)),
    [mode, limits.maxExpiryDays, canAttach, files.length, copy],
  )
  const { control, handleSubmit, clearErrors, watch, getValues, setValue } = useForm<ComposeValues>(
    {
      resolver: zodResolver(schema),
      defaultValues: {
        recipients: draft.recipientIds.filter((id) => users.some((user) => user.id === id)),
        emails: [],
        emailText: '',
        subject: draft.subject,
        body: draft.body,
        expiry: 'none',
        customExpiry: '',
        highPriority: false,
        linkExpiry: defaultLinkExpiry(limits.maxExpiryDays),
        maxViews: 1,
        passphrase: '',
        label: '',
      },
    },
  )
  const isBusy = send.isPending || create.isPending
  const failure = mode === 'in-app' ? send.error : create.error
  const hasPassphrase = watch('passphrase') !== ''
  const copyName = source.status === 'ready' ? source.summary.name : null
  const fileBytes = files.reduce((sum, file) => sum + file.size, 0)
  const copyBytes = copy && source.status === 'ready' ? source.summary.bytes : 0
  const copyProblem =
    copy && copyBytes + fileBytes > limits.maxMessageBytes
      ? t('vaultCopy.tooLarge', {
          size: formatBytes(copyBytes + fileBytes, locale),
          max: formatBytes(limits.maxMessageBytes, locale),
        })
      : undefined

  // The subject starts as the item's name (S7), unless the user has typed one already.
  useEffect(() => {
    if (copyName !== null && getValues('subject') === '') setValue('subject', copyName)
  }, [copyName, getValues, setValue])

  function changeMode(next: ComposeMode) {
    setMode(next)
    setSwitched(true)
    // Each tab checks its own fields; what another tab complained about is not shown here.
    clearErrors()
    send.reset()
    create.reset()
  }

  function sendInApp(values: ComposeValues) {
    const now = new Date()
    // A copy is sent once the vault item has been read, and only within the size limit.
    if (copy && (source.status !== 'ready' || copyProblem)) return
    attempts.current += 1
    onSendingChange(true)
    setProgress({ sentBytes: 0, totalBytes: fileBytes + copyBytes })
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
        files: canAttach ? files : [],
        copy:
          copy && source.status === 'ready' ? { vault: source.vault, itemId: copy.itemId } : null,
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
  }

  function createLink(values: ComposeValues, byEmail: boolean) {
    // As in-app: a copy goes once the vault item has been read, and only within the size limit.
    if (copy && (source.status !== 'ready' || copyProblem)) return
    const linkFiles = canAttach ? files : []
    onSendingChange(true)
    setProgress({
      sentBytes: 0,
      totalBytes: linkFiles.reduce((sum, file) => sum + file.size, 0) + copyBytes,
    })
    create.mutate(
      {
        subject: values.subject.trim(),
        text: values.body,
        files: linkFiles,
        copy:
          copy && source.status === 'ready' ? { vault: source.vault, itemId: copy.itemId } : null,
        expiresAt: linkExpiryToIso(values.linkExpiry, new Date(), limits.maxExpiryDays),
        maxViews: values.maxViews,
        passphrase: values.passphrase,
        label: values.label.trim(),
        emailTo: byEmail ? addAddresses(values.emails, splitAddresses(values.emailText).valid) : [],
        onProgress: setProgress,
        onEmailing: () => setEmailing(true),
      },
      {
        onSuccess: onCreated,
        onSettled: () => {
          setProgress(null)
          setEmailing(false)
          onSendingChange(false)
        },
      },
    )
  }

  const submit = handleSubmit((values) => {
    if (mode === 'in-app') sendInApp(values)
    else createLink(values, mode === 'email')
  })

  const errorText = (message: string | undefined) => composeErrorText(t, message, limits, locale)
  const fields: FieldsProps = {
    control,
    errorText,
    isBusy,
    limits,
    files: canAttach ? { list: files, onChange: setFiles } : null,
    autoFocus: !hasSwitched,
    attachmentsId,
    // The attached copy of vault content (S7, S20), shown with the files on every tab.
    copy: copy ? (
      <CopyChip
        source={source}
        onRemove={() => setCopy(null)}
        isDisabled={isBusy}
        problem={copyProblem}
      />
    ) : undefined,
  }
  const disabledKeys = canEmail ? [] : ['email']
  // Members cannot set up email; administrators learn which setting does it.
  const emailOffHint =
    session.user.role === 'admin' ? t('compose.emailOffHint') : t('compose.emailOffHintMember')
  const attachedCount = (canAttach ? files.length : 0) + (copy ? 1 : 0)

  /** The attachments sit below the fold of a laptop screen: bring them into view. */
  function showAttachments() {
    const area = document.getElementById(attachmentsId)
    area?.scrollIntoView({ block: 'nearest' })
    area?.focus({ preventScroll: true })
  }
  const modeLabel = {
    'in-app': t('compose.inApp'),
    email: t('compose.byEmail'),
    link: t('compose.shareableLink'),
  }[mode]

  return (
    <form
      className={styles.form}
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={modeLabel}
      onKeyDown={(event) => {
        // Ctrl+Enter (⌘+Enter) sends from anywhere in the form, as in mail clients.
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit()
      }}
    >
      <Tabs
        selectedKey={mode}
        onSelectionChange={(key) => changeMode(key as ComposeMode)}
        disabledKeys={disabledKeys}
        isDisabled={isBusy}
        className={styles.tabs}
      >
        <div className={styles.tabBar}>
          <TabList aria-label={t('compose.ways')} className={styles.tabList}>
            {canInApp && (
              <Tab id="in-app" className={styles.tab}>
                <TabLabel long={t('compose.inApp')} short={t('compose.inAppShort')} />
              </Tab>
            )}
            {canLinks && (
              <Tab id="email" className={styles.tab}>
                <span title={isEmailOff ? emailOffHint : undefined}>
                  <TabLabel long={t('compose.byEmail')} short={t('compose.byEmailShort')} />
                </span>
                {isEmailOff && (
                  <>
                    <span className={styles.off} aria-hidden="true">
                      {t('compose.emailOff')}
                    </span>
                    <span className="visually-hidden">{t('compose.emailOffSuffix')}</span>
                  </>
                )}
              </Tab>
            )}
            {canLinks && (
              <Tab id="link" className={styles.tab}>
                <TabLabel
                  long={t('compose.shareableLink')}
                  short={t('compose.shareableLinkShort')}
                />
              </Tab>
            )}
          </TabList>
          {attachedCount > 0 && (
            <Button
              variant="quiet"
              className={styles.attachedJump}
              onPress={showAttachments}
              aria-describedby={`${attachmentsId}-hint`}
            >
              <PaperclipIcon />
              {t('compose.attachedCount', { count: attachedCount })}
              <span id={`${attachmentsId}-hint`} hidden>
                {t('compose.showAttached')}
              </span>
            </Button>
          )}
        </div>
        {canLinks && isEmailOff && (
          <p className={styles.tabHint}>
            <InfoIcon width="16" height="16" />
            {emailOffHint}
          </p>
        )}
        {canInApp && (
          <TabPanel id="in-app" className={styles.panel}>
            <div className={styles.fields}>
              <InAppFields
                {...fields}
                users={users}
                meId={session.user.id}
                focusBody={draft.recipientIds.length > 0}
              />
            </div>
          </TabPanel>
        )}
        {canLinks && (
          <TabPanel id="email" className={styles.panel}>
            <div className={styles.fields}>
              <EmailFields {...fields} />
            </div>
          </TabPanel>
        )}
        {canLinks && (
          <TabPanel id="link" className={styles.panel}>
            <div className={styles.fields}>
              <LinkFields {...fields} />
            </div>
          </TabPanel>
        )}
      </Tabs>

      <div className={styles.footer}>
        {failure && (
          <Alert tone="error">
            {failure instanceof CopyGoneError
              ? t('vaultCopy.goneAtSend')
              : errorMessage(t, failure)}
            <span>{mode === 'in-app' ? t('compose.keptDraft') : t('compose.keptLinkDraft')}</span>
          </Alert>
        )}
        {progress && (
          <SendingProgress
            mode={mode}
            progress={progress}
            isEmailing={isEmailing}
            hasPassphrase={hasPassphrase}
          />
        )}
        <DialogActions>
          <span id={shortcutId} className={styles.shortcut}>
            {t('compose.sendShortcut', { key: isApple() ? '⌘' : 'Ctrl' })}
          </span>
          <Button onPress={onDone} isDisabled={isBusy}>
            {t('compose.cancel')}
          </Button>
          <Button
            type="submit"
            variant="primary"
            isPending={isBusy}
            isDisabled={!isCopyReady(copy, source, copyProblem)}
            aria-describedby={shortcutId}
          >
            {mode === 'in-app' && (
              <>
                <SendIcon />
                {t('compose.send')}
              </>
            )}
            {mode === 'email' && (
              <>
                <EnvelopeIcon width="16" height="16" />
                {t('compose.sendEmail')}
              </>
            )}
            {mode === 'link' && (
              <>
                <LinkIcon />
                {t('compose.createLink')}
              </>
            )}
          </Button>
        </DialogActions>
      </div>
    </form>
  )
}

/** Apple keyboards send with ⌘+Enter, the others with Ctrl+Enter (the form takes both). */
function isApple(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.userAgent)
}

/**
 * A tab's name, and on a phone its short form (the tabs become a compact segmented control);
 * the full name stays the accessible one.
 */
function TabLabel({ long, short }: { long: string; short: string }) {
  return (
    <>
      <span className={styles.longLabel}>{long}</span>
      <span className={styles.shortLabel} aria-hidden="true">
        {short}
      </span>
    </>
  )
}

/** A message with a copy waits for the vault item to be read, and fits the size limit. */
function isCopyReady(copy: unknown, source: CopySource, problem: string | undefined): boolean {
  return copy === null || (source.status === 'ready' && problem === undefined)
}

/** What is happening while a message or link is sealed and sent. */
function SendingProgress({
  mode,
  progress,
  isEmailing,
  hasPassphrase,
}: {
  mode: ComposeMode
  progress: SendProgress
  isEmailing: boolean
  hasPassphrase: boolean
}) {
  const { t } = useTranslation()
  const percent =
    progress.totalBytes > 0 ? Math.round((progress.sentBytes / progress.totalBytes) * 100) : null
  if (mode === 'in-app') {
    return percent === null ? (
      <Progress label={t('compose.sealing')} />
    ) : (
      <ProgressMeter
        label={t('compose.uploading', { percent: String(percent) })}
        percent={percent}
      />
    )
  }
  if (isEmailing) return <Progress label={t('compose.emailing')} />
  // Argon2id runs before the upload starts (S20): say why it takes a moment.
  if (percent === null || (percent === 0 && hasPassphrase)) {
    return (
      <Progress
        label={hasPassphrase ? t('compose.creatingLinkPassphrase') : t('compose.creatingLink')}
      />
    )
  }
  return (
    <ProgressMeter
      label={t('compose.uploadingLink', { percent: String(percent) })}
      percent={percent}
    />
  )
}
