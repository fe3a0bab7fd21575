import { type AuditEvent, auditDetailsText } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { exactTime } from '../../../lib/format'
import { useLocale } from '../../../lib/use-locale'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { EmptyState } from '../../../ui/empty-state'
import { ShieldCheckIcon } from '../../../ui/icons'
import { PageHeader } from '../../../ui/page-header'
import { Select } from '../../../ui/select'
import { Skeleton } from '../../../ui/skeleton'
import { TextField } from '../../../ui/text-field'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { NotAllowedPage } from '../not-allowed-page'
import layout from '../admin-page.module.css'
import styles from './audit-page.module.css'
import { type AuditFilters, exportUrl, useAuditLog, useVerifyAudit } from './use-audit'

const DAY_MS = 24 * 3_600_000
const PERIODS = ['day', 'week', 'month', 'all'] as const
type Period = (typeof PERIODS)[number]
const PERIOD_DAYS: Record<Period, number | null> = { day: 1, week: 7, month: 30, all: null }

/** Administration – Audit: who did what, when and from where; verify the chain; export. */
export function AuditPage() {
  const { session } = useSignedIn()
  if (session.user.role !== 'admin') return <NotAllowedPage />
  return <AuditAdministration />
}

function AuditAdministration() {
  const { t } = useTranslation()
  const [actor, setActor] = useState('')
  const [action, setAction] = useState('')
  const [period, setPeriod] = useState<Period>('all')
  const days = PERIOD_DAYS[period]
  const filters: AuditFilters = {
    ...(actor.trim() ? { actor: actor.trim() } : {}),
    ...(action.trim() ? { action: action.trim() } : {}),
    // Rounded to the minute so the filter stays one query key while the page is open.
    ...(days === null
      ? {}
      : {
          since: new Date(Math.floor((Date.now() - days * DAY_MS) / 60_000) * 60_000).toISOString(),
        }),
  }
  return (
    <div className={layout.page}>
      <PageHeader
        eyebrow={t('users.administration')}
        title={t('audit.title')}
        description={t('audit.intro')}
        actions={<VerifyChain />}
      />
      <section className={layout.card} aria-label={t('audit.filters')}>
        <div className={styles.filters}>
          <TextField label={t('audit.actor')} value={actor} onChange={setActor} />
          <TextField
            label={t('audit.action')}
            description={t('audit.actionHint')}
            value={action}
            onChange={setAction}
          />
          <Select
            label={t('audit.period')}
            options={PERIODS.map((id) => ({ id, label: t(`audit.periods.${id}`) }))}
            value={period}
            onChange={setPeriod}
          />
          <div className={styles.exports}>
            <a className={styles.export} href={exportUrl(filters, 'csv')} download>
              {t('audit.exportCsv')}
            </a>
            <a className={styles.export} href={exportUrl(filters, 'ndjson')} download>
              {t('audit.exportNdjson')}
            </a>
          </div>
        </div>
      </section>
      <section className={layout.card} aria-label={t('audit.events')}>
        <Events filters={filters} />
      </section>
    </div>
  )
}

function VerifyChain() {
  const { t } = useTranslation()
  const verify = useVerifyAudit()
  return (
    <div className={styles.verify}>
      <Button isPending={verify.isPending} onPress={() => verify.mutate()}>
        {t('audit.verify')}
      </Button>
      <span role="status">
        {verify.data?.ok && t('audit.verified', { count: verify.data.events })}
        {verify.data?.broken &&
          t('audit.broken', {
            seq: String(verify.data.broken.seq),
            reason: verify.data.broken.reason,
          })}
        {verify.isError && t('audit.verifyFailed', { reason: errorMessage(t, verify.error) })}
      </span>
    </div>
  )
}

function Events({ filters }: { filters: AuditFilters }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const log = useAuditLog(filters)
  if (log.isPending) {
    return (
      <div className={styles.loading} aria-busy="true">
        <span className="visually-hidden" role="status">
          {t('audit.loading')}
        </span>
        <Skeleton width="100%" height="24px" />
        <Skeleton width="100%" height="24px" />
      </div>
    )
  }
  if (log.isError) {
    return (
      <Alert tone="error">
        {t('audit.loadError', { reason: errorMessage(t, log.error) })}
        <Button onPress={() => void log.refetch()}>{t('users.retry')}</Button>
      </Alert>
    )
  }
  const events: AuditEvent[] = log.data.pages.flatMap((page) => page.events)
  if (events.length === 0) {
    return (
      <EmptyState icon={<ShieldCheckIcon width="24" height="24" />} title={t('audit.emptyTitle')}>
        {t('audit.empty')}
      </EmptyState>
    )
  }
  return (
    // On a phone the table is wider than the screen and scrolls sideways: its box takes the
    // focus, so the arrow keys scroll it too (WCAG 2.1.1). A group, not a second region: the
    // card around it is already the events' landmark.
    <div className={styles.tableWrap} role="group" aria-label={t('audit.events')} tabIndex={0}>
      <table className={styles.table}>
        <caption className="visually-hidden">{t('audit.events')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.columns.at')}</th>
            <th scope="col">{t('audit.columns.actor')}</th>
            <th scope="col">{t('audit.columns.action')}</th>
            <th scope="col">{t('audit.columns.target')}</th>
            <th scope="col">{t('audit.columns.from')}</th>
            <th scope="col">{t('audit.columns.details')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.seq}>
              <td>
                <time dateTime={event.at}>{exactTime(event.at, locale)}</time>
              </td>
              <td>{event.actorUsername ?? t('audit.system')}</td>
              <td className={styles.code}>{event.action}</td>
              <td className={styles.code} title={event.targetId ?? undefined}>
                {event.targetId ? event.targetId.slice(0, 8) : ''}
              </td>
              <td title={event.userAgent ?? undefined}>{event.ip ?? ''}</td>
              <td className={styles.code}>{auditDetailsText(event.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {log.hasNextPage && (
        <div className={styles.more}>
          <Button isPending={log.isFetchingNextPage} onPress={() => void log.fetchNextPage()}>
            {t('audit.older')}
          </Button>
        </div>
      )}
    </div>
  )
}
