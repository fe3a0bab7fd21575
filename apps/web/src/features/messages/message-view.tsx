import { envelopeFacts } from '@sealpost/core'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Alert } from '../../ui/alert'
import { Avatar } from '../../ui/avatar'
import { Badge } from '../../ui/badge'
import { AlertIcon, ShieldCheckIcon } from '../../ui/icons'
import { useSignedIn } from '../../lib/session/signed-in-context'
import { AttachmentList } from './attachment-list'
import { exactTime, expiryIn, relativeTime } from '../../lib/format'
import { KeyChangeWarning } from './key-change-warning'
import { useKeyChanges } from './known-keys'
import styles from './message-view.module.css'
import { toText } from './to-text'
import { type OpenMessage, useDirectory } from './use-messages'
import { useLocale } from '../../lib/use-locale'

/**
 * One message as S13 lists it: sender (with the signature check), subject, times, body and
 * files. A message that failed verification shows who claims to have sent it and a warning,
 * never its content. An answer from outside to one of the reader's requests names no sender:
 * it says so, and never shows the verified mark.
 */
export function MessageView({
  message,
  now,
  headingId,
  headingLevel = 2,
  showPriority = true,
  attachmentActions,
}: {
  message: OpenMessage
  now: Date
  headingId: string
  headingLevel?: 2 | 3
  /** The high-priority modal says so in its title already. */
  showPriority?: boolean
  /** Beside the attachments, for a message that verified: Save (S16, S17). */
  attachmentActions?: ReactNode
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const { session } = useSignedIn()
  const { detail, opened } = message
  const { sender } = detail
  const envelope = envelopeFacts(detail.envelope)
  const isFromOutside = envelope.origin === 'request' || sender === null
  const directory = useDirectory()
  const senderEntry = sender ? directory.data?.find((user) => user.id === sender.id) : undefined
  const keys = useKeyChanges(
    sender && senderEntry
      ? [
          {
            id: sender.id,
            x25519PublicKey: senderEntry.x25519PublicKey,
            ed25519PublicKey: sender.ed25519PublicKey,
          },
        ]
      : [],
  )
  const keyChange = sender ? keys.changed.find((key) => key.id === sender.id) : undefined
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  const expiry = envelope.expiresAt ? expiryIn(envelope.expiresAt, now, locale) : null
  const to = toText(
    t,
    {
      recipientIds: envelope.recipientIds,
      groups: opened?.groups ?? [],
      directIds: opened?.directIds ?? [],
    },
    {
      meId: session.user.id,
      nameOf: (id) => directory.data?.find((user) => user.id === id)?.displayName,
    },
  )

  return (
    <div className={styles.message}>
      <div className={styles.headline}>
        <Heading id={headingId} className={styles.subject}>
          {!opened
            ? t('messages.notShownTitle')
            : isFromOutside
              ? t('requests.answerSubject', { note: opened.subject })
              : opened.subject || t('messages.noSubject')}
        </Heading>
        <div className={styles.badges}>
          {opened && showPriority && envelope.highPriority && (
            <Badge tone="accent">{t('messages.highPriority')}</Badge>
          )}
          {opened && expiry && (
            <Badge tone={expiry.isSoon ? 'warning' : 'neutral'}>
              {t('messages.expires', { when: expiry.inWords })}
            </Badge>
          )}
        </div>
      </div>

      {isFromOutside || !sender ? (
        <div className={styles.sender} data-outside="">
          <Avatar name="?" />
          <div className={styles.senderText}>
            <div className={styles.senderName}>
              <span className={styles.displayName}>{t('requests.outsideSender')}</span>
              <span className={styles.outside}>
                <AlertIcon />
                {t('requests.fromOutside')}
              </span>
            </div>
            <div className={styles.meta}>{t('requests.fromOutsideHelp')}</div>
          </div>
        </div>
      ) : (
        <div className={styles.sender}>
          <Avatar name={sender.displayName} />
          <div className={styles.senderText}>
            <div className={styles.senderName}>
              <span className={styles.displayName}>{sender.displayName}</span>
              <span className={styles.username}>{sender.username}</span>
              {opened && (
                <span className={styles.verified}>
                  <ShieldCheckIcon />
                  {t('messages.verified')}
                </span>
              )}
            </div>
            <div className={styles.meta}>{to}</div>
          </div>
        </div>
      )}

      <dl className={styles.times}>
        <div>
          <dt>{t('messages.sentLabel')}</dt>
          <dd>
            <time dateTime={envelope.sentAt}>
              {exactTime(envelope.sentAt, locale)} ({relativeTime(envelope.sentAt, now, locale)})
            </time>
          </dd>
        </div>
        {envelope.expiresAt && expiry && (
          <div>
            <dt>{t('messages.expiresLabel')}</dt>
            <dd className={expiry.isSoon ? styles.soon : undefined}>
              <time dateTime={envelope.expiresAt}>
                {exactTime(envelope.expiresAt, locale)} ({expiry.inWords})
              </time>
            </dd>
          </div>
        )}
      </dl>

      {sender && keyChange && (
        <KeyChangeWarning name={sender.displayName} changed={keyChange} onTrust={keys.trust} />
      )}

      {opened ? (
        <>
          {/* Plain text: React escapes it, pre-wrap keeps the line breaks; links stay text. */}
          <div className={styles.body}>{opened.body}</div>
          <AttachmentList messageId={envelope.id} opened={opened} actions={attachmentActions} />
        </>
      ) : (
        <Alert tone="error">
          <strong>{t('messages.notShown')}</strong>
          <span>
            {sender && !isFromOutside
              ? t('messages.notShownHelp', { name: sender.displayName })
              : t('requests.answerNotShown')}
          </span>
        </Alert>
      )}
    </div>
  )
}
