import type { TFunction } from 'i18next'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../i18n/error-message'
import { useLocale } from '../../lib/use-locale'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { ModalDialog } from '../../ui/dialog'
import { Progress } from '../../ui/progress'
import { LinkCreated, isEmailedToAll } from './links/link-created'
import { type CreatedLink, useMailStatus } from './links/use-links'
import { useSignedIn } from '../../lib/session/signed-in-context'
import { CopyChip } from './vault-copy/copy-chip'
import type { CopySource } from './vault-copy/use-copy-source'
import styles from './compose-dialog.module.css'
import type { FieldsProps } from './compose-field-parts'
import { ComposeFooter } from './compose-footer'
import { composeRules } from './compose-policy'
import { composeErrorText } from './compose-schema'
import { ComposeTabs } from './compose-tabs'
import type { ComposeDraft } from './compose-draft'
import { type ComposeOptions, useComposeForm } from './use-compose-form'
import { useDirectory, useGroupsToSend, useMessagingLimits, useMyPolicy } from './use-messages'

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
  // Send by email makes a link too: it needs both allowances.
  const mayEmail = canLinks && session.user.canSendEmail
  const directory = useDirectory(canInApp)
  const groups = useGroupsToSend(canInApp)
  const limits = useMessagingLimits()
  const policy = useMyPolicy()
  const mail = useMailStatus(mayEmail)
  const rules = useMemo(
    () => (limits.data && policy.data ? composeRules(limits.data, policy.data) : null),
    [limits.data, policy.data],
  )
  const failure =
    (canInApp ? (directory.error ?? groups.error) : null) ?? limits.error ?? policy.error
  if (failure) {
    return (
      <Alert tone="error">
        {t('compose.loadError', { reason: errorMessage(t, failure) })}
        <Button
          onPress={() => {
            if (canInApp) void directory.refetch()
            if (canInApp) void groups.refetch()
            void limits.refetch()
            void policy.refetch()
          }}
        >
          {t('messages.retry')}
        </Button>
      </Alert>
    )
  }
  // The form's presets are computed once, so they come from the policy as it is now, not a
  // cached copy an administrator has changed since.
  const isPolicyCurrent = policy.isFetchedAfterMount
  if (
    (canInApp && (!directory.data || !groups.data)) ||
    !limits.data ||
    !rules ||
    !isPolicyCurrent
  ) {
    return <Progress label={t('compose.loading')} />
  }
  return (
    <ComposeForm
      {...props}
      users={directory.data ?? []}
      groups={groups.data ?? []}
      limits={limits.data}
      rules={rules}
      canInApp={canInApp}
      canLinks={canLinks}
      mayEmail={mayEmail}
      // Until the server says it can send email, the tab stays disabled.
      canEmail={mayEmail && mail.data?.enabled === true}
      isEmailOff={mayEmail && mail.data?.enabled === false}
    />
  )
}

function ComposeForm({
  isEmailOff,
  mayEmail,
  ...options
}: ComposeOptions & {
  /** The server said it has no SMTP: say so, with what an administrator can do. */
  isEmailOff: boolean
  /** The user's policy lets them send by email (the tab is there). */
  mayEmail: boolean
}) {
  const { t } = useTranslation()
  const { draft, users, groups, limits, rules, canInApp, canLinks, canEmail, onDone } = options
  const form = useComposeForm(options)
  const { control, submit, mode, isBusy, canAttach, files, copy, source, copyProblem } = form
  const attachmentsId = useId()
  const locale = useLocale()
  const fields: FieldsProps = {
    control,
    errorText: (message) => composeErrorText(t, message, rules, locale),
    isBusy,
    limits,
    rules,
    files: canAttach ? { list: files, onChange: form.setFiles } : null,
    autoFocus: !form.hasSwitched,
    attachmentsId,
    // The attached copy of vault content (S7, S20), shown with the files on every tab.
    copy: copy ? (
      <CopyChip
        source={source}
        onRemove={form.removeCopy}
        isDisabled={isBusy}
        problem={copyProblem}
      />
    ) : undefined,
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
      <ComposeTabs
        mode={mode}
        onModeChange={form.changeMode}
        fields={fields}
        users={users}
        groups={groups}
        focusBody={draft.recipientIds.length > 0}
        canInApp={canInApp}
        canLinks={canLinks}
        mayEmail={mayEmail}
        isReply={draft.replyTo !== null}
        canEmail={canEmail}
        isEmailOff={isEmailOff}
        attachedCount={(canAttach ? files.length : 0) + (copy ? 1 : 0)}
      />
      <ComposeFooter
        mode={mode}
        failure={form.failure}
        progress={form.progress}
        isEmailing={form.isEmailing}
        hasPassphrase={form.hasPassphrase}
        isBusy={isBusy}
        canSend={isCopyReady(copy, source, copyProblem)}
        onCancel={onDone}
      />
    </form>
  )
}

/** A message with a copy waits for the vault item to be read, and fits the size limit. */
function isCopyReady(copy: unknown, source: CopySource, problem: string | undefined): boolean {
  return copy === null || (source.status === 'ready' && problem === undefined)
}
