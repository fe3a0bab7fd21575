import { zodResolver } from '@hookform/resolvers/zod'
import { type OpenedLink, openLink, revealLink } from '@sealpost/core'
import { useMutation } from '@tanstack/react-query'
import { useId, useMemo, useRef, useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'react-router'
import { z } from 'zod'
import { publicApi } from '../../api'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { AuthLayout } from '../../ui/auth-layout'
import { Button } from '../../ui/button'
import { Form } from '../../ui/form'
import { FormTextField } from '../../ui/form-text-field'
import { CheckIcon, CopyIcon, DownloadIcon, EyeIcon, FileIcon } from '../../ui/icons'
import { Progress } from '../../ui/progress'
import { exactTime, formatBytes } from '../../lib/format'
import { saveFile } from '../../lib/save-file'
import { useLocale } from '../../lib/use-locale'
import { CopiedItems } from '../vault-copy/copied-items'
import { copiedBlobIds } from '../vault-copy/copy-tree'
import { useLinkDownloads } from '../vault-copy/use-copied-downloads'
import styles from './link-page.module.css'
import { linkFailure, linkFromLocation } from './link-options'

/** Link previewers and mail scanners read the page too: keep it out of search engines. */
function NoIndex() {
  return <meta name="robots" content="noindex, nofollow" />
}

/**
 * `/s/:id#secret` (S21): a shareable link, for anyone, signed in or not. The secret never
 * leaves the page; nothing is asked of the server until the visitor presses Reveal, so a
 * preview or a scan spends no view.
 */
export function LinkPage() {
  const { pathname, hash } = useLocation()
  const url = linkFromLocation(window.location.origin, pathname, hash)
  return (
    <>
      <NoIndex />
      {url ? <LinkOpener key={url} url={url} /> : <NotAvailable />}
    </>
  )
}

type Step =
  | { name: 'reveal' }
  | { name: 'passphrase' }
  | { name: 'open'; link: OpenedLink }
  | { name: 'not_available'; typedPassphrase: boolean }
  | { name: 'rate_limited' }
  | { name: 'failed'; error: unknown; back: 'reveal' | 'passphrase' }

function LinkOpener({ url }: { url: string }) {
  const [step, setStep] = useState<Step>({ name: 'reveal' })

  function fail(error: unknown, back: 'reveal' | 'passphrase') {
    const failure = linkFailure(error)
    if (failure === 'not_available') {
      setStep({ name: 'not_available', typedPassphrase: back === 'passphrase' })
    } else if (failure === 'rate_limited') setStep({ name: 'rate_limited' })
    else setStep({ name: 'failed', error, back })
  }

  // Reveal asks whether a passphrase is needed (no view spent); without one it opens at once.
  const reveal = useMutation({
    mutationFn: async (): Promise<Step> => {
      const { needsPassphrase } = await revealLink(publicApi, url)
      if (needsPassphrase) return { name: 'passphrase' }
      return { name: 'open', link: await openLink(publicApi, url) }
    },
    onSuccess: setStep,
    onError: (error) => fail(error, 'reveal'),
  })
  const unlock = useMutation({
    mutationFn: (passphrase: string) => openLink(publicApi, url, passphrase),
    onSuccess: (link) => setStep({ name: 'open', link }),
    onError: (error) => fail(error, 'passphrase'),
  })

  switch (step.name) {
    case 'reveal':
      return <RevealStep onReveal={() => reveal.mutate()} isPending={reveal.isPending} />
    case 'passphrase':
      return (
        <PassphraseStep
          onUnlock={(passphrase) => unlock.mutate(passphrase)}
          isPending={unlock.isPending}
        />
      )
    case 'open':
      return <OpenedStep link={step.link} />
    case 'not_available':
      return (
        <NotAvailable
          onTryAgain={step.typedPassphrase ? () => setStep({ name: 'passphrase' }) : undefined}
        />
      )
    case 'rate_limited':
      return <RateLimited />
    case 'failed':
      return (
        <Unreachable
          error={step.error}
          onRetry={() =>
            setStep(step.back === 'reveal' ? { name: 'reveal' } : { name: 'passphrase' })
          }
        />
      )
  }
}

function RevealStep({ onReveal, isPending }: { onReveal: () => void; isPending: boolean }) {
  const { t } = useTranslation()
  return (
    <AuthLayout
      title={t('share.revealTitle')}
      pageTitle={t('share.pageTitle')}
      intro={t('share.revealBody')}
    >
      <Button variant="primary" isWide isPending={isPending} onPress={onReveal}>
        <EyeIcon />
        {t('share.reveal')}
      </Button>
      {isPending && <Progress label={t('share.revealing')} />}
    </AuthLayout>
  )
}

const PassphraseForm = z.object({ passphrase: z.string().min(1, 'required') })
type PassphraseForm = z.infer<typeof PassphraseForm>

function PassphraseStep({
  onUnlock,
  isPending,
}: {
  onUnlock: (passphrase: string) => void
  isPending: boolean
}) {
  const { t } = useTranslation()
  const { control, handleSubmit } = useForm<PassphraseForm>({
    resolver: zodResolver(PassphraseForm),
    defaultValues: { passphrase: '' },
  })
  return (
    <AuthLayout
      title={t('share.passphraseTitle')}
      pageTitle={t('share.pageTitle')}
      intro={t('share.passphraseBody')}
    >
      <Form onSubmit={handleSubmit((values) => onUnlock(values.passphrase))}>
        <FormTextField
          control={control}
          name="passphrase"
          label={t('share.passphrase')}
          type="password"
          autoComplete="off"
          autoFocus
          isDisabled={isPending}
          errorText={() => t('share.passphraseRequired')}
        />
        <Button type="submit" variant="primary" isWide isPending={isPending}>
          {t('share.unlock')}
        </Button>
        {/* Argon2id with 64 MiB runs in this page (S20): it takes a moment on purpose. */}
        {isPending && <Progress label={t('share.unlocking')} />}
      </Form>
    </AuthLayout>
  )
}

function OpenedStep({ link }: { link: OpenedLink }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const filesId = useId()
  const itemsId = useId()
  const tree = link.tree ?? []
  // Files of copied items show under their item (S21); the rest are files shared as such.
  const files = useMemo(() => {
    const inTree = copiedBlobIds(link.tree)
    return link.files.filter((file) => !inTree.has(file.blobId))
  }, [link])
  const downloads = useLinkDownloads(link.files)
  const viewOf = t('share.viewOf', { views: String(link.views), maxViews: String(link.maxViews) })
  return (
    <AuthLayout
      title={link.subject || t('share.untitled')}
      pageTitle={t('share.pageTitle')}
      size="wide"
      autoFocusTitle
    >
      <Alert tone={link.deleted ? 'warning' : 'info'}>
        <span>
          {viewOf}{' '}
          {link.deleted
            ? t('share.deleted')
            : t('share.viewsLeft', {
                left: String(link.maxViews - link.views),
                date: exactTime(link.expiresAt, locale),
              })}
        </span>
      </Alert>
      {link.text !== '' && <SharedText text={link.text} />}
      {tree.length > 0 && (
        <section className={styles.section} aria-labelledby={itemsId}>
          <h2 id={itemsId} className={styles.sectionTitle}>
            {t('share.items')}
          </h2>
          <CopiedItems
            tree={tree}
            downloads={downloads}
            readOnlyNote={t('vaultCopy.readOnlyLink')}
          />
        </section>
      )}
      {files.length > 0 && (
        <section className={styles.section} aria-labelledby={filesId}>
          <h2 id={filesId} className={styles.sectionTitle}>
            {t('share.files', { count: files.length })}
          </h2>
          <ul className={styles.files}>
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`} className={styles.file}>
                <FileIcon className={styles.fileIcon} />
                <span className={styles.fileName}>{file.name}</span>
                <span className={styles.fileSize}>{formatBytes(file.size, locale)}</span>
                <Button
                  onPress={() => saveFile(file.bytes, file.name)}
                  aria-label={t('share.downloadFile', { name: file.name })}
                >
                  <DownloadIcon />
                  {t('share.download')}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </AuthLayout>
  )
}

/** The shared text as plain text (never markup), with Copy. */
function SharedText({ text }: { text: string }) {
  const { t } = useTranslation()
  const headingId = useId()
  const textRef = useRef<HTMLDivElement>(null)
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')

  async function copyText() {
    try {
      await navigator.clipboard.writeText(text)
      setCopy('copied')
    } catch {
      // Select it, so Ctrl+C does the rest.
      const selection = window.getSelection()
      if (textRef.current && selection) selection.selectAllChildren(textRef.current)
      setCopy('failed')
    }
  }

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <div className={styles.sectionHeader}>
        <h2 id={headingId} className={styles.sectionTitle}>
          {t('share.text')}
        </h2>
        <Button onPress={() => void copyText()}>
          <CopyIcon />
          {t('share.copyText')}
        </Button>
      </div>
      <div ref={textRef} className={styles.text}>
        {text}
      </div>
      <span className={styles.copied} role="status" data-failed={copy === 'failed' || undefined}>
        {copy === 'copied' && (
          <>
            <CheckIcon />
            {t('share.copied')}
          </>
        )}
        {copy === 'failed' && t('share.copyFailed')}
      </span>
    </section>
  )
}

/** One page for wrong, expired, used-up, deleted and damaged links alike (S21). */
function NotAvailable({ onTryAgain }: { onTryAgain?: () => void }) {
  const { t } = useTranslation()
  return (
    <AuthLayout title={t('share.notAvailableTitle')} autoFocusTitle>
      <p>{t('share.notAvailableBody')}</p>
      {onTryAgain && (
        <>
          <p>{t('share.checkPassphrase')}</p>
          <Button variant="primary" onPress={onTryAgain}>
            {t('share.tryAgain')}
          </Button>
        </>
      )}
    </AuthLayout>
  )
}

function RateLimited() {
  const { t } = useTranslation()
  return (
    <AuthLayout title={t('share.rateLimitedTitle')} pageTitle={t('share.pageTitle')} autoFocusTitle>
      <p>{t('share.rateLimitedBody')}</p>
    </AuthLayout>
  )
}

function Unreachable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation()
  return (
    <AuthLayout title={t('share.failedTitle')} pageTitle={t('share.pageTitle')} autoFocusTitle>
      <Alert tone="error">{errorMessage(t, error)}</Alert>
      <Button variant="primary" onPress={onRetry}>
        {t('share.tryAgain')}
      </Button>
    </AuthLayout>
  )
}
