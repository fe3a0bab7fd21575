import { zodResolver } from '@hookform/resolvers/zod'
import {
  type DirectoryUser,
  type GroupSummary,
  GroupSendError,
  type MessagingLimits,
  type SendProgress,
} from '@sealpost/core'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { expiryToIso, formatBytes } from '../../lib/format'
import { useLocale } from '../../lib/use-locale'
import { showToast } from '../../ui/toast'
import { addAddresses, linkExpiryToIso, splitAddresses } from './links/link-options'
import { type CreatedLink, useCreateLink } from './links/use-links'
import { useSignedIn } from '../../lib/session/signed-in-context'
import { useCopySource } from './vault-copy/use-copy-source'
import { composeDefaults, initialMode } from './compose-defaults'
import type { ComposeRules } from './compose-policy'
import type { ComposeDraft } from './compose-draft'
import { type ComposeMode, type ComposeValues, composeSchema, groupProblem } from './compose-schema'
import { useSendMessage } from './use-messages'

export type ComposeOptions = {
  draft: ComposeDraft
  users: DirectoryUser[]
  groups: GroupSummary[]
  limits: MessagingLimits
  /** What the user's policy presets and limits. */
  rules: ComposeRules
  canInApp: boolean
  canLinks: boolean
  canEmail: boolean
  onDone: () => void
  onSendingChange: (isSending: boolean) => void
  onCreated: (link: CreatedLink) => void
}

/**
 * The state of the compose form and its submit: which tab, the files and the copy of vault
 * content, and sending in-app or creating a link (by email or not) with its progress.
 */
export function useComposeForm({
  draft,
  users,
  limits,
  rules,
  canInApp,
  canLinks,
  canEmail,
  onDone,
  onSendingChange,
  onCreated,
}: ComposeOptions) {
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
  const [mode, setMode] = useState<ComposeMode>(() =>
    initialMode(draft, { hasCopy: copy !== null, canInApp, canLinks, canEmail }),
  )
  const [hasSwitched, setSwitched] = useState(false)
  const [files, setFiles] = useState<File[]>([])
  const [progress, setProgress] = useState<SendProgress | null>(null)
  const [isEmailing, setEmailing] = useState(false)
  // One id per draft: a retry after a failure can never send the message twice.
  const [messageId] = useState(() => crypto.randomUUID())
  const attempts = useRef(0)
  const schema = useMemo(
    // A link's text is optional when it carries files or a copy.
    () => composeSchema(mode, rules, canAttach && (files.length > 0 || copy !== null)),
    [mode, rules, canAttach, files.length, copy],
  )
  const { control, handleSubmit, clearErrors, watch, getValues, setValue, setError } =
    useForm<ComposeValues>({
      resolver: zodResolver(schema),
      defaultValues: composeDefaults(draft, users, rules, new Date()),
    })
  const isBusy = send.isPending || create.isPending
  // A group that cannot be sent to is said on "To", not again under the form.
  const failure =
    mode === 'in-app' ? (send.error instanceof GroupSendError ? null : send.error) : create.error
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
        groupIds: values.groups,
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
        onError: (error) => {
          if (error instanceof GroupSendError) {
            setError('recipients', { message: groupProblem(error) }, { shouldFocus: true })
          }
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

  return {
    control,
    submit,
    mode,
    changeMode,
    hasSwitched,
    isBusy,
    failure,
    progress,
    isEmailing,
    hasPassphrase,
    canAttach,
    files,
    setFiles,
    copy,
    removeCopy: () => setCopy(null),
    source,
    copyProblem,
  }
}
