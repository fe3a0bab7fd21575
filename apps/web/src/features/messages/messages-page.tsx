import { MessageId } from '@sealpost/core'
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components'
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { EmptyState } from '../../ui/empty-state'
import { EnvelopeIcon, LinkIcon, PencilIcon } from '../../ui/icons'
import { PageHeader } from '../../ui/page-header'
import { showToast } from '../../ui/toast'
import { LinksList } from './links/links-list'
import { CreateRequestDialog } from './requests/create-request-dialog'
import { RequestsList } from './requests/requests-list'
import { useSignedIn } from '../../lib/session/signed-in-context'
import {
  COPY_PARAM,
  VIA_PARAM,
  parseCopyParam,
  parseViaParam,
  returnToOf,
} from './vault-copy/send-copy'
import { ComposeDialog } from './compose-dialog'
import { type ComposeDraft, emptyDraft } from './compose-draft'
import { EmptyInbox, EmptySent, InboxList, SentList } from './message-list'
import styles from './messages-page.module.css'
import { listPath, parseMessagesPath } from './messages-path'
import { ReadingPane } from './reading-pane'
import { useShortcuts } from './use-shortcuts'

/**
 * The messages view (S1, UI.md): Inbox, Sent and Links on the left, the open message on the
 * right; narrower than a tablet, one or the other with a back button. Links (S23) open
 * nothing, so they take the whole width.
 */
export function MessagesPage() {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const navigate = useNavigate()
  const params = useParams()
  const { box, openId } = parseMessagesPath(params['*'] ?? '')
  const listRef = useRef<HTMLDivElement>(null)
  const sendingOffId = useId()
  const [compose, setCompose] = useState<ComposeDraft | null>(null)
  /** Where the open compose form came from (the vault's Send copy): closing it goes back. */
  const [returnTo, setReturnTo] = useState<string | null>(null)
  const [isRequesting, setRequesting] = useState(false)
  const canRequest = session.user.canRequestSecrets
  const canSend = session.user.canSendMessages
  const canLinks = session.user.canCreateLinks
  // New message also creates links (S2), which a user may do without sending in-app.
  const canCompose = canSend || canLinks
  const listLabel = box === 'sent' ? t('messages.sent') : t('messages.inbox')
  const [searchParams] = useSearchParams()
  const copyParam = searchParams.get(COPY_PARAM)
  const via = parseViaParam(searchParams.get(VIA_PARAM))
  const takenCopy = useRef<string | null>(null)
  const location = useLocation()
  const stateDraft = (location.state as { compose?: ComposeDraft } | null)?.compose
  const copyReturnTo = returnToOf(location.state)

  /*
   * The high-priority popup's Reply arrives here with its draft in the history state; it opens
   * once, and the state is dropped so Back or a reload does not open it again.
   */
  useEffect(() => {
    if (!stateDraft) return
    void navigate({ pathname: location.pathname }, { replace: true, state: null })
    if (canSend) setCompose(stateDraft)
  }, [stateDraft, canSend, navigate, location.pathname])

  /*
   * S7: the vault's *Send copy* arrives as `?copy=<vaultId>:<itemId>`, its *Create shareable
   * link* (S20) with `&via=link`. It opens the compose form once (on the link tab for a link),
   * and leaves the address, so Back or a reload does not attach it again. Closing the form,
   * sent or not, goes back to the vault page the copy was chosen on.
   */
  useEffect(() => {
    if (copyParam === null) {
      takenCopy.current = null
      return
    }
    if (takenCopy.current === copyParam) return
    takenCopy.current = copyParam
    const copy = parseCopyParam(copyParam)
    void navigate({ search: '' }, { replace: true })
    if (!copy) showToast({ tone: 'error', title: t('vaultCopy.badLink') })
    else if (via === 'in-app' && !session.user.canSendMessages) {
      showToast({ tone: 'error', title: t('errors.sending_disabled') })
    } else if (via === 'link' && !session.user.canCreateLinks) {
      showToast({ tone: 'error', title: t('errors.links_disabled') })
    } else if (!session.user.canSendAttachments) {
      showToast({ tone: 'error', title: t('errors.attachments_disabled') })
    } else {
      setCompose({ ...emptyDraft, copy, ...(via === 'link' ? { mode: 'link' as const } : {}) })
      setReturnTo(copyReturnTo)
    }
  }, [copyParam, via, copyReturnTo, navigate, session.user, t])

  function closeCompose() {
    setCompose(null)
    if (returnTo === null) return
    setReturnTo(null)
    // The form was a detour from the vault: it leaves no page of its own behind.
    void navigate(returnTo, { replace: true })
  }

  function openCompose(draft: ComposeDraft = emptyDraft) {
    if (canCompose) setCompose(draft)
  }

  /** j/k: move the keyboard focus through the rows; Enter opens the focused one. */
  function moveFocus(step: 1 | -1) {
    const list = listRef.current
    // Stacked (narrow) layout with a message open: the list is not on screen.
    if (!list || list.offsetParent === null) return
    const rows = [...list.querySelectorAll<HTMLElement>('[role="row"]')]
    if (rows.length === 0) return
    const focused = rows.findIndex((row) => row.contains(document.activeElement))
    const open = rows.findIndex((row) => row.hasAttribute('data-open'))
    const from = focused >= 0 ? focused : open
    const next = from < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, from + step))
    rows[next]?.focus()
  }

  /** Back to the list, with the keyboard focus on the row that was open. */
  function leaveMessage() {
    const closedId = openId
    void Promise.resolve(navigate(listPath(box))).then(() => {
      requestAnimationFrame(() => {
        const row = listRef.current?.querySelector<HTMLElement>(
          `[role="row"][data-key="${closedId ?? ''}"]`,
        )
        row?.focus()
      })
    })
  }

  useShortcuts({
    // Without in-app sending, c would open a form for links only: New message says why not.
    c: canSend ? () => openCompose() : undefined,
    j: () => moveFocus(1),
    k: () => moveFocus(-1),
  })

  /*
   * S10: without "Allow sending messages" New message stays in its place, disabled, and the
   * notice under the header says why; a shareable link is still offered when allowed.
   */
  const newMessage = (
    <div className={styles.headerActions}>
      {!canSend && canLinks && (
        <Button onPress={() => openCompose({ ...emptyDraft, mode: 'link' })}>
          <LinkIcon />
          {t('compose.shareableLink')}
        </Button>
      )}
      <Button
        variant="primary"
        onPress={() => openCompose()}
        isDisabled={!canSend}
        aria-describedby={canSend ? undefined : sendingOffId}
      >
        <PencilIcon />
        {t('messages.newMessage')}
      </Button>
    </div>
  )

  return (
    <div className={styles.page} data-has-open={openId ? '' : undefined} data-box={box}>
      <PageHeader title={t('messages.title')} actions={newMessage} />
      {!canSend && (
        <div id={sendingOffId}>
          <Alert tone="info">{t('messages.sendingDisabled')}</Alert>
        </div>
      )}
      <div className={styles.split}>
        <div className={styles.listPane} ref={listRef}>
          <Tabs selectedKey={box} className={styles.tabs}>
            <TabList aria-label={t('messages.tabs')} className={styles.tabList}>
              <Tab id="inbox" href="/messages" className={styles.tab}>
                {t('messages.inbox')}
              </Tab>
              <Tab id="sent" href="/messages/sent" className={styles.tab}>
                {t('messages.sent')}
              </Tab>
              <Tab id="links" href="/messages/links" className={styles.tab}>
                {t('messages.links')}
              </Tab>
              <Tab id="requests" href="/messages/requests" className={styles.tab}>
                {t('requests.tab')}
              </Tab>
            </TabList>
            <TabPanel id="inbox" className={styles.panel}>
              <InboxList openId={openId} empty={<EmptyInbox />} />
            </TabPanel>
            <TabPanel id="sent" className={styles.panel}>
              <SentList
                openId={openId}
                empty={
                  <EmptySent
                    action={
                      canSend ? (
                        <Button onPress={() => openCompose()}>{t('messages.newMessage')}</Button>
                      ) : undefined
                    }
                  />
                }
              />
            </TabPanel>
            <TabPanel id="links" className={styles.panel}>
              <LinksList
                onCreate={
                  session.user.canCreateLinks
                    ? () => openCompose({ ...emptyDraft, mode: 'link' })
                    : undefined
                }
              />
            </TabPanel>
            <TabPanel id="requests" className={styles.panel}>
              <RequestsList onCreate={canRequest ? () => setRequesting(true) : undefined} />
            </TabPanel>
          </Tabs>
        </div>
        {box !== 'links' && box !== 'requests' && (
          <section className={styles.readingPane} aria-label={t('messages.readingPane')}>
            {openId && MessageId.safeParse(openId).success ? (
              <ReadingPane
                key={openId}
                id={openId}
                listLabel={listLabel}
                onReply={openCompose}
                onLeave={leaveMessage}
              />
            ) : openId ? (
              <EmptyState icon={<EnvelopeIcon />} title={t('messages.goneTitle')}>
                {t('messages.goneBody')}
              </EmptyState>
            ) : (
              <EmptyState icon={<EnvelopeIcon />} title={t('messages.noneOpenTitle')}>
                {canSend ? t('messages.noneOpen') : t('messages.noneOpenNoSending')}
              </EmptyState>
            )}
          </section>
        )}
      </div>
      {compose && <ComposeDialog draft={compose} onClose={closeCompose} />}
      {isRequesting && <CreateRequestDialog onClose={() => setRequesting(false)} />}
    </div>
  )
}
