import { useTranslation } from 'react-i18next'
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components'
import type { DirectoryUser, GroupSummary } from '@sealpost/core'
import { Button } from '../../ui/button'
import { InfoIcon, PaperclipIcon } from '../../ui/icons'
import { useSignedIn } from '../../lib/session/signed-in-context'
import styles from './compose-dialog.module.css'
import type { FieldsProps } from './compose-field-parts'
import { EmailFields, InAppFields } from './compose-fields'
import type { ComposeMode } from './compose-schema'
import { LinkFields } from './link-fields'

/**
 * Send in-app, Send by email and Create shareable link as tabs over the one form's fields,
 * with the "N attached" button that brings the attachments into view.
 */
export function ComposeTabs({
  mode,
  onModeChange,
  fields,
  users,
  groups,
  focusBody,
  canInApp,
  canLinks,
  mayEmail,
  isReply,
  canEmail,
  isEmailOff,
  attachedCount,
}: {
  mode: ComposeMode
  onModeChange: (mode: ComposeMode) => void
  fields: FieldsProps
  users: DirectoryUser[]
  groups: GroupSummary[]
  /** Recipients are chosen already (a reply): the cursor starts in the message. */
  focusBody: boolean
  canInApp: boolean
  canLinks: boolean
  /** The policy lets the user send by email: the tab is there (enabled when the server can). */
  mayEmail: boolean
  /** A reply goes in-app only, whatever the policy. */
  isReply: boolean
  canEmail: boolean
  /** The server said it has no SMTP: say so, with what an administrator can do. */
  isEmailOff: boolean
  attachedCount: number
}) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const { isBusy, attachmentsId } = fields
  const disabledKeys = canEmail ? [] : ['email']
  // Members cannot set up email; administrators learn which setting does it.
  const emailOffHint =
    session.user.role === 'admin' ? t('compose.emailOffHint') : t('compose.emailOffHintMember')
  // A way the policy takes away is gone from the tabs; this says why, where the user looks.
  const policyHint = isReply
    ? null
    : !session.user.canCreateLinks
      ? t('compose.linksOffByPolicy')
      : !mayEmail
        ? t('compose.emailOffByPolicy')
        : null

  /** The attachments sit below the fold of a laptop screen: bring them into view. */
  function showAttachments() {
    const area = document.getElementById(attachmentsId)
    area?.scrollIntoView({ block: 'nearest' })
    area?.focus({ preventScroll: true })
  }

  return (
    <Tabs
      selectedKey={mode}
      onSelectionChange={(key) => onModeChange(key as ComposeMode)}
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
          {mayEmail && (
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
              <TabLabel long={t('compose.shareableLink')} short={t('compose.shareableLinkShort')} />
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
      {mayEmail && isEmailOff && (
        <p className={styles.tabHint}>
          <InfoIcon width="16" height="16" />
          {emailOffHint}
        </p>
      )}
      {policyHint && (
        <p className={styles.tabHint}>
          <InfoIcon width="16" height="16" />
          {policyHint}
        </p>
      )}
      {canInApp && (
        <TabPanel id="in-app" className={styles.panel}>
          <div className={styles.fields}>
            <InAppFields
              {...fields}
              users={users}
              groups={groups}
              meId={session.user.id}
              focusBody={focusBody}
            />
          </div>
        </TabPanel>
      )}
      {mayEmail && (
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
  )
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
