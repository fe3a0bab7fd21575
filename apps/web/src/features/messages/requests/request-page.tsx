import { answerRequest, type FileSource, type OpenedRequest, viewRequest } from '@sealpost/core'
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { publicApi } from '../../../lib/public-api'
import styles from './request-page.module.css'
import {
  filesProblem,
  type RequestFailure,
  requestFailure,
  requestFromLocation,
} from './request-page-logic'

/*
 * `/r/:id#…`: a request for a secret, for anyone, with or without an account. Light on purpose:
 * plain HTML and this folder's CSS, no OPAQUE and no React Aria, so it can be served as a small
 * bundle of its own. The secret in the fragment never leaves this page; what the visitor sends
 * is sealed here, to the requester's key once it matched the link.
 */

type Step =
  | { name: 'loading' }
  | { name: 'form'; request: OpenedRequest }
  | { name: 'sent'; request: OpenedRequest }
  | { name: 'failed'; failure: RequestFailure }

export function RequestPage() {
  const url = requestFromLocation(
    window.location.origin,
    window.location.pathname,
    window.location.hash,
  )
  return (
    <>
      {/* Link previewers and mail scanners read the page too: keep it out of search engines. */}
      <meta name="robots" content="noindex, nofollow" />
      {url ? <RequestAnswerer key={url} url={url} /> : <Failed failure="not_available" />}
    </>
  )
}

function RequestAnswerer({ url }: { url: string }) {
  const [step, setStep] = useState<Step>({ name: 'loading' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let isCurrent = true
    viewRequest(publicApi, url).then(
      (request) => {
        if (isCurrent) setStep({ name: 'form', request })
      },
      (error: unknown) => {
        if (isCurrent) setStep({ name: 'failed', failure: requestFailure(error) })
      },
    )
    return () => {
      isCurrent = false
    }
  }, [url, attempt])

  switch (step.name) {
    case 'loading':
      return <Loading />
    case 'form':
      return (
        <AnswerForm
          url={url}
          request={step.request}
          onSent={() => setStep({ name: 'sent', request: step.request })}
          onFailed={(failure) => setStep({ name: 'failed', failure })}
        />
      )
    case 'sent':
      return <Sent request={step.request} />
    case 'failed':
      return (
        <Failed
          failure={step.failure}
          onRetry={() => {
            setStep({ name: 'loading' })
            setAttempt((n) => n + 1)
          }}
        />
      )
  }
}

/** The frame: brand above one card, the card's heading focused when a step shows. */
function Layout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation()
  const titleRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => titleRef.current?.focus(), [title])
  return (
    <main className={styles.page}>
      <title>{t('app.pageTitle', { page: t('answer.pageTitle') })}</title>
      <div className={styles.brand}>{t('app.brand')}</div>
      <div className={styles.card}>
        <h1 ref={titleRef} className={styles.title} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </div>
    </main>
  )
}

function Loading() {
  const { t } = useTranslation()
  return (
    <Layout title={t('answer.openTitle')}>
      <p className={styles.muted} role="status" aria-busy="true">
        {t('answer.opening')}
      </p>
    </Layout>
  )
}

function fileSource(file: File): FileSource {
  return {
    name: file.name,
    type: file.type,
    size: file.size,
    read: async (offset, length) =>
      new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  }
}

function sizeText(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`
}

function AnswerForm({
  url,
  request,
  onSent,
  onFailed,
}: {
  url: string
  request: OpenedRequest
  onSent: () => void
  onFailed: (failure: RequestFailure) => void
}) {
  const { t, i18n } = useTranslation()
  const textId = useId()
  const hintId = useId()
  const filesId = useId()
  const problemId = useId()
  const fileInput = useRef<HTMLInputElement>(null)
  const [text, setText] = useState('')
  const [files, setFiles] = useState<File[]>([])
  const [problem, setProblem] = useState<string | null>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const isSending = progress !== null
  const locale = i18n.language
  const from = request.from

  async function send(event: FormEvent) {
    event.preventDefault()
    if (text.trim() === '' && files.length === 0) return setProblem(t('answer.empty'))
    const tooLarge = filesProblem(files, request)
    if (tooLarge?.kind === 'file') {
      return setProblem(
        t('answer.fileTooLarge', {
          name: tooLarge.name,
          size: sizeText(request.maxFileBytes, locale),
        }),
      )
    }
    if (tooLarge) {
      return setProblem(t('answer.tooLarge', { size: sizeText(request.maxAnswerBytes, locale) }))
    }
    setProblem(null)
    setProgress(0)
    try {
      await answerRequest(publicApi, url, {
        text,
        files: files.map(fileSource),
        onProgress: ({ sentBytes, totalBytes }) =>
          setProgress(totalBytes === 0 ? 100 : Math.floor((100 * sentBytes) / totalBytes)),
      })
      onSent()
    } catch (error) {
      const failure = requestFailure(error)
      if (failure === 'failed') {
        setProgress(null)
        setProblem(error instanceof Error ? error.message : String(error))
      } else {
        onFailed(failure)
      }
    }
  }

  return (
    <Layout title={t('answer.openTitle')}>
      <p className={styles.asking}>
        {t('answer.asking', {
          name: from.displayName,
          username: from.username,
          host: window.location.host,
        })}
      </p>
      {/* Plain text: React escapes it, pre-wrap keeps the line breaks. */}
      <blockquote className={styles.note}>{request.note}</blockquote>
      <p className={styles.muted}>
        {t('answer.expiresAt', {
          date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
            new Date(request.expiresAt),
          ),
        })}
      </p>
      <form className={styles.form} onSubmit={(event) => void send(event)} noValidate>
        <label htmlFor={textId} className={styles.label}>
          {t('answer.text')}
        </label>
        <textarea
          id={textId}
          className={styles.textarea}
          rows={5}
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-describedby={`${hintId} ${problem ? problemId : ''}`.trim()}
          aria-invalid={problem !== null && text.trim() === '' && files.length === 0}
          disabled={isSending}
          autoComplete="off"
          spellCheck={false}
        />
        <p id={hintId} className={styles.hint}>
          {t('answer.textHint')}
        </p>
        {request.allowFiles && (
          <div className={styles.files}>
            <span id={filesId} className={styles.label}>
              {t('answer.files')}
            </span>
            {files.length > 0 && (
              <ul className={styles.fileList} aria-labelledby={filesId}>
                {files.map((file, index) => (
                  <li key={`${file.name}-${index}`} className={styles.file}>
                    <span className={styles.fileName}>{file.name}</span>
                    <span className={styles.muted}>{sizeText(file.size, locale)}</span>
                    <button
                      type="button"
                      className={styles.quiet}
                      disabled={isSending}
                      aria-label={t('answer.removeFile', { name: file.name })}
                      onClick={() => setFiles((all) => all.filter((_, i) => i !== index))}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <input
              ref={fileInput}
              type="file"
              multiple
              className="visually-hidden"
              tabIndex={-1}
              aria-hidden="true"
              onChange={(event) => {
                const picked = [...(event.target.files ?? [])]
                setFiles((all) => [...all, ...picked])
                event.target.value = ''
              }}
            />
            <button
              type="button"
              className={styles.secondary}
              disabled={isSending}
              onClick={() => fileInput.current?.click()}
            >
              {t('answer.addFiles')}
            </button>
          </div>
        )}
        {problem && (
          <p id={problemId} className={styles.problem} role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className={styles.primary} disabled={isSending}>
          {t('answer.send')}
        </button>
        {isSending && (
          <div className={styles.progress} role="status">
            <progress max={100} value={progress} />
            <span>{t('answer.sending', { percent: String(progress) })}</span>
          </div>
        )}
      </form>
    </Layout>
  )
}

function Sent({ request }: { request: OpenedRequest }) {
  const { t } = useTranslation()
  return (
    <Layout title={t('answer.sentTitle')}>
      <p>{t('answer.sentBody', { name: request.from.displayName })}</p>
    </Layout>
  )
}

function Failed({ failure, onRetry }: { failure: RequestFailure; onRetry?: () => void }) {
  const { t } = useTranslation()
  const words = {
    not_available: [t('answer.notAvailableTitle'), t('answer.notAvailableBody')],
    key_mismatch: [t('answer.keyMismatchTitle'), t('answer.keyMismatchBody')],
    rate_limited: [t('answer.rateLimitedTitle'), t('answer.rateLimitedBody')],
    failed: [t('answer.failedTitle'), t('errors.network')],
  } as const
  const [title, body] = words[failure]
  return (
    <Layout title={title}>
      <p className={failure === 'key_mismatch' ? styles.problem : undefined}>{body}</p>
      {failure === 'failed' && onRetry && (
        <button type="button" className={styles.primary} onClick={onRetry}>
          {t('answer.tryAgain')}
        </button>
      )}
    </Layout>
  )
}
