import {
  ApiError,
  type CopiedItem,
  type LinkPassphraseParams,
  type OpenedLink,
  checkLink,
  openLink,
} from '@sealpost/core'
import {
  type FormEvent,
  type ReactNode,
  Suspense,
  lazy,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react'
import { useTranslation } from 'react-i18next'
import { publicApi } from '../../../lib/public-api'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { AuthLayout } from '../../../ui/auth-layout'
import { CheckIcon, CopyIcon, DownloadIcon, EyeIcon, FileIcon } from '../../../ui/icons'
import { exactTime, formatBytes } from '../../../lib/format'
import { saveFile } from '../../../lib/save-file'
import { useLocale } from '../../../lib/use-locale'
import { copiedBlobIds } from '../vault-copy/copy-tree'
import type { mountLinkItems } from './link-items-island'
import styles from './link-page.module.css'
import { linkFailure, linkFromLocation } from './link-options'

/*
 * Light on purpose: the public page is its own small bundle (public.html, vite.public.config.ts)
 * on Preact, with plain elements and this folder's CSS: no React Aria, no OPAQUE, no router.
 * Argon2 loads only when a passphrase is typed (core imports it then). The tree of copied vault
 * items is the app's React Aria components: it loads only when a link carries some, as an
 * island on React (link-items-island.tsx) in the public build, as a lazy part in the app.
 */
type ItemsProps = { tree: readonly CopiedItem[]; files: OpenedLink['files'] }
type Island = { mountLinkItems: typeof mountLinkItems }

// A literal true or false where the bundler sees it: the public build keeps no trace of the
// app's lazy part, whose chunk would otherwise pull the app's whole API client into its entry.
const CopiedItemsPart = __PUBLIC_BUILD__
  ? (props: ItemsProps) => <LinkItemsIsland {...props} {...islandFiles()} />
  : lazy(() => import('./link-copied-items'))

function islandFiles(): { js: string; css: string[] } {
  if (!__LINK_ITEMS__) throw new Error('the public build names no copied-items island')
  return __LINK_ITEMS__
}

function LinkItemsIsland({ js, css, tree, files }: ItemsProps & { js: string; css: string[] }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<'loading' | 'shown' | { error: unknown }>('loading')
  useEffect(() => {
    let isCurrent = true
    let unmount: (() => void) | undefined
    for (const href of css) {
      if (document.querySelector(`link[href="${href}"]`)) continue
      const sheet = document.createElement('link')
      sheet.rel = 'stylesheet'
      sheet.href = href
      document.head.append(sheet)
    }
    import(/* @vite-ignore */ js).then(
      (module: Island) => {
        if (!isCurrent || !ref.current) return
        unmount = module.mountLinkItems(ref.current, { tree, files })
        setState('shown')
      },
      (error: unknown) => {
        if (isCurrent) setState({ error })
      },
    )
    return () => {
      isCurrent = false
      unmount?.()
    }
  }, [js, css, tree, files])
  return (
    <>
      {state === 'loading' && <Working label={t('share.revealing')} />}
      {typeof state === 'object' && <Alert tone="error">{errorMessage(t, state.error)}</Alert>}
      <div ref={ref} />
    </>
  )
}

/**
 * `/s/:id#secret` (S21): a shareable link, for anyone, signed in or not. The secret never
 * leaves the page. Loading it only checks that the link can still be opened (no view spent,
 * nothing in its history), so Reveal is never offered for a link that is gone; a view is
 * spent only when the visitor presses Reveal, so a preview or a scan costs none. Search
 * engines are kept out by public.html's robots meta.
 */
export function LinkPage() {
  const { origin, pathname, hash } = window.location
  const url = linkFromLocation(origin, pathname, hash)
  return url ? <LinkOpener key={url} url={url} /> : <NotAvailable />
}

type Step =
  | { name: 'checking' }
  | { name: 'reveal' }
  /**
   * `params`: the salt and Argon2id parameters the open answered with, so Unlock opens in one
   * request; `triesLeft` after a wrong passphrase.
   */
  | { name: 'passphrase'; params?: LinkPassphraseParams | undefined; triesLeft?: number }
  | { name: 'open'; link: OpenedLink }
  /** `isDestroyed`: the last wrong passphrase the link took destroyed it. */
  | { name: 'not_available'; isDestroyed?: boolean }
  | { name: 'rate_limited' }
  /** `back`: the step Try again returns to. */
  | { name: 'failed'; error: unknown; back: Step }

function LinkOpener({ url }: { url: string }) {
  const [step, setStep] = useState<Step>({ name: 'checking' })
  const [isPending, setIsPending] = useState(false)

  /** Runs a step's work; a failure it cannot name offers Try again, back to this step. */
  async function run(work: () => Promise<Step>) {
    const back = step
    setIsPending(true)
    try {
      setStep(await work())
    } catch (error) {
      const failure = linkFailure(error)
      if (failure === 'passphrase_needed') {
        // Reveal asked without a passphrase: nothing was spent, the passphrase step follows.
        const params = error instanceof ApiError ? error.passphrase : undefined
        setStep({ name: 'passphrase', params })
      } else if (failure === 'wrong_passphrase') {
        const triesLeft = error instanceof ApiError ? (error.triesLeft ?? 0) : 0
        const params = back.name === 'passphrase' ? back.params : undefined
        setStep(
          triesLeft > 0
            ? { name: 'passphrase', params, triesLeft }
            : { name: 'not_available', isDestroyed: true },
        )
      } else if (failure === 'not_available') setStep({ name: 'not_available' })
      else if (failure === 'rate_limited') setStep({ name: 'rate_limited' })
      else setStep({ name: 'failed', error, back })
    } finally {
      setIsPending(false)
    }
  }

  // Reveal is offered only for a link that can still be opened: a reload after its last view
  // shows "not available" at once. The check spends no view and records nothing.
  const check = () =>
    run(async () => {
      await checkLink(publicApi, url)
      return { name: 'reveal' }
    })
  const isChecking = step.name === 'checking'
  // On load, and again when Try again goes back to checking.
  useEffect(() => {
    if (isChecking) void check()
  }, [isChecking])

  // Reveal opens at once: one request for a link without a passphrase. A link with one answers
  // passphrase_needed (no view spent) with what Unlock needs to open it in one request more.
  const reveal = () => run(async () => ({ name: 'open', link: await openLink(publicApi, url) }))
  const unlock = (passphrase: string, params: LinkPassphraseParams | undefined) =>
    run(async () => ({
      name: 'open',
      link: await openLink(publicApi, url, passphrase, { passphraseParams: params }),
    }))

  switch (step.name) {
    case 'checking':
      return <CheckingStep />
    case 'reveal':
      return <RevealStep onReveal={() => void reveal()} isPending={isPending} />
    case 'passphrase':
      return (
        <PassphraseStep
          onUnlock={(passphrase) => void unlock(passphrase, step.params)}
          isPending={isPending}
          triesLeft={step.triesLeft}
        />
      )
    case 'open':
      return <OpenedStep link={step.link} />
    case 'not_available':
      return <NotAvailable isDestroyed={step.isDestroyed} />
    case 'rate_limited':
      return <RateLimited />
    case 'failed':
      return <Unreachable error={step.error} onRetry={() => setStep(step.back)} />
  }
}

/** A native button in the app's look; `isPending` keeps it in place but inert. */
function PlainButton({
  variant = 'secondary',
  isWide = false,
  isPending = false,
  type = 'button',
  onClick,
  label,
  children,
}: {
  variant?: 'primary' | 'secondary'
  isWide?: boolean
  isPending?: boolean
  type?: 'button' | 'submit'
  onClick?: () => void
  /** The accessible name, when it should say more than the visible words. */
  label?: string
  children: ReactNode
}) {
  const classes = [styles.button, variant === 'primary' && styles.primary, isWide && styles.wide]
  return (
    <button
      type={type}
      className={classes.filter(Boolean).join(' ')}
      // aria-disabled rather than disabled: the focus stays on the button while it works.
      aria-disabled={isPending || undefined}
      aria-busy={isPending || undefined}
      aria-label={label}
      onClick={(event) => {
        if (isPending) event.preventDefault()
        else onClick?.()
      }}
    >
      {children}
    </button>
  )
}

/** A spinner with words saying what is happening. */
function Working({ label }: { label: string }) {
  return (
    <div className={styles.progress} role="progressbar" aria-label={label}>
      <span className={styles.spinner} aria-hidden="true" />
      <span>{label}</span>
    </div>
  )
}

/** While the link is checked: the page's heading and a spinner, no button to press yet. */
function CheckingStep() {
  const { t } = useTranslation()
  return (
    <AuthLayout title={t('share.revealTitle')} pageTitle={t('share.pageTitle')}>
      <Working label={t('share.checking')} />
    </AuthLayout>
  )
}

function RevealStep({ onReveal, isPending }: { onReveal: () => void; isPending: boolean }) {
  const { t } = useTranslation()
  return (
    <AuthLayout
      title={t('share.revealTitle')}
      pageTitle={t('share.pageTitle')}
      intro={t('share.revealBody')}
    >
      <PlainButton variant="primary" isWide isPending={isPending} onClick={onReveal}>
        <EyeIcon />
        {t('share.reveal')}
      </PlainButton>
      {isPending && <Working label={t('share.revealing')} />}
    </AuthLayout>
  )
}

function PassphraseStep({
  onUnlock,
  isPending,
  triesLeft,
}: {
  onUnlock: (passphrase: string) => void
  isPending: boolean
  /** Set after a wrong passphrase: how many more the link takes before it is destroyed. */
  triesLeft: number | undefined
}) {
  const { t } = useTranslation()
  const inputId = useId()
  const errorId = useId()
  const inputRef = useRef<HTMLInputElement>(null)
  const [passphrase, setPassphrase] = useState('')
  const [isMissing, setIsMissing] = useState(false)
  const isWrong = triesLeft !== undefined && !isMissing

  // The field was disabled while the passphrase was tried: give it the focus back, the typed
  // passphrase selected, so a second try starts at once.
  useEffect(() => {
    if (!isPending && triesLeft !== undefined) inputRef.current?.select()
  }, [isPending, triesLeft])

  function submit(event: FormEvent) {
    event.preventDefault()
    if (isPending) return
    if (passphrase === '') return setIsMissing(true)
    setIsMissing(false)
    onUnlock(passphrase)
  }

  return (
    <AuthLayout
      title={t('share.passphraseTitle')}
      pageTitle={t('share.pageTitle')}
      intro={t('share.passphraseBody')}
    >
      <form className={styles.form} onSubmit={submit} noValidate>
        <div className={styles.field}>
          <label htmlFor={inputId} className={styles.label}>
            {t('share.passphrase')}
          </label>
          <input
            ref={inputRef}
            id={inputId}
            className={styles.input}
            type="password"
            autoComplete="off"
            // The step shows because the visitor asked for it: typing can start at once.
            autoFocus
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
            disabled={isPending}
            aria-invalid={isMissing || isWrong || undefined}
            aria-describedby={isMissing || isWrong ? errorId : undefined}
          />
          {/* A live region, so the answer of a try is heard without the focus moving. */}
          <span id={errorId} className={styles.error} role="alert">
            {isMissing
              ? t('share.passphraseRequired')
              : isWrong
                ? t('share.wrongPassphrase', { count: triesLeft })
                : null}
          </span>
        </div>
        <PlainButton type="submit" variant="primary" isWide isPending={isPending}>
          {t('share.unlock')}
        </PlainButton>
        {/* Argon2id with 64 MiB runs in this page (S20): it takes a moment on purpose. */}
        {isPending && <Working label={t('share.unlocking')} />}
      </form>
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
          <Suspense fallback={<Working label={t('share.revealing')} />}>
            <CopiedItemsPart tree={tree} files={link.files} />
          </Suspense>
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
                <PlainButton
                  onClick={() => saveFile(file.bytes, file.name)}
                  label={t('share.downloadFile', { name: file.name })}
                >
                  <DownloadIcon />
                  {t('share.download')}
                </PlainButton>
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
        <PlainButton onClick={() => void copyText()}>
          <CopyIcon />
          {t('share.copyText')}
        </PlainButton>
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

/**
 * One page for wrong, expired, used-up, deleted and damaged links alike (S21); only a visitor
 * who proved the secret and typed the last wrong passphrase is told the link was destroyed.
 */
function NotAvailable({ isDestroyed = false }: { isDestroyed?: boolean | undefined }) {
  const { t } = useTranslation()
  return (
    <AuthLayout title={t('share.notAvailableTitle')} autoFocusTitle>
      <p>{isDestroyed ? t('share.destroyed') : t('share.notAvailableBody')}</p>
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
      <PlainButton variant="primary" onClick={onRetry}>
        {t('share.tryAgain')}
      </PlainButton>
    </AuthLayout>
  )
}
