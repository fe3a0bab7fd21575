import { UNSAFE_NAME_CHARACTERS } from '@sealpost/core'
import nodemailer from 'nodemailer'

export type LinkEmail = {
  to: string
  senderName: string
  /** Built by the server from its public URL, never taken from a client. */
  url: string
  expiresAt: Date
  hasPassphrase: boolean
}

export type RequestEmail = {
  to: string
  requesterName: string
  /** Built by the server from its public URL, never taken from a client. */
  url: string
  expiresAt: Date
}

/** To a link's owner at a spent view: when the link was made and which view, nothing of it. */
export type LinkOpenedEmail = {
  to: string
  createdAt: Date
  view: number
  maxViews: number
  /** The app's Links page, built by the server from its public URL. */
  linksUrl: string
}

/** To a recipient without the app open: who sent something and when it expires, nothing of it. */
export type MessageNoticeEmail = {
  to: string
  senderName: string
  /** Whole days until the message expires; null when it does not. */
  expiresInDays: number | null
  /** The app's messages, built by the server from its public URL. */
  appUrl: string
}

export type ExpiryReminderEmail = {
  to: string
  /** Who sent the unread messages, each once. */
  senderNames: string[]
  /** Unread messages about to expire. */
  count: number
  /** Whole hours until the first of them expires (at least 1). */
  hoursLeft: number
  appUrl: string
}

/** Sends mail through the configured SMTP server (DESIGN.md §3 "By email"). */
export type Mailer = {
  sendLinkEmail(email: LinkEmail): Promise<void>
  sendRequestEmail(email: RequestEmail): Promise<void>
  sendLinkOpenedEmail(email: LinkOpenedEmail): Promise<void>
  sendMessageNotice(email: MessageNoticeEmail): Promise<void>
  sendExpiryReminder(email: ExpiryReminderEmail): Promise<void>
  close(): void
}

export function createMailer(options: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.smtpUrl)
  return {
    async sendLinkEmail(email) {
      const { subject, text, html } = renderLinkEmail(email)
      await transport.sendMail({ from: options.from, to: email.to, subject, text, html })
    },
    async sendRequestEmail(email) {
      const { subject, text, html } = renderRequestEmail(email)
      await transport.sendMail({ from: options.from, to: email.to, subject, text, html })
    },
    async sendLinkOpenedEmail(email) {
      const { subject, text, html } = renderLinkOpenedEmail(email)
      await transport.sendMail({ from: options.from, to: email.to, subject, text, html })
    },
    async sendMessageNotice(email) {
      const { subject, text, html } = renderMessageNotice(email)
      await transport.sendMail({ from: options.from, to: email.to, subject, text, html })
    },
    async sendExpiryReminder(email) {
      const { subject, text, html } = renderExpiryReminder(email)
      await transport.sendMail({ from: options.from, to: email.to, subject, text, html })
    },
    close: () => transport.close(),
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
}

const UNSAFE_NAME = new RegExp(UNSAFE_NAME_CHARACTERS.source, 'gu')

/**
 * The display name as it may appear in a subject and a body: names are checked when they are
 * set, and this drops what an older row may still hold (a forged line, reversed text).
 */
function plainName(name: string): string {
  return name.replace(UNSAFE_NAME, ' ').replace(/\s+/g, ' ').trim() || 'A Sealpost user'
}

/** The message carries no content: only who sent a link, the link, and when it expires. */
export function renderLinkEmail(email: LinkEmail): { subject: string; text: string; html: string } {
  const senderName = plainName(email.senderName)
  const when = email.expiresAt.toUTCString()
  const passphraseNote = email.hasPassphrase
    ? 'You also need a passphrase, which the sender will give you another way.'
    : ''
  const subject = `${senderName} shared a secure message with you`
  const text = [
    `${senderName} sent you an end-to-end encrypted message with Sealpost.`,
    '',
    `Open it here: ${email.url}`,
    '',
    `The link works until ${when} and may stop working sooner once it has been viewed.`,
    passphraseNote,
  ]
    .filter((line, i, all) => line !== '' || i < all.length - 1)
    .join('\n')
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>${escapeHtml(senderName)} sent you an end-to-end encrypted message with Sealpost.</p>
<p><a href="${escapeHtml(email.url)}">Open the message</a></p>
<p style="color:#555">The link works until ${escapeHtml(when)} and may stop working sooner once it has been viewed.${
    passphraseNote ? ` ${escapeHtml(passphraseNote)}` : ''
  }</p>
</body></html>`
  return { subject, text, html }
}

/**
 * A request for a secret: who asks and the link, never what is asked (the note is sealed, and
 * the server cannot read it).
 */
export function renderRequestEmail(email: RequestEmail): {
  subject: string
  text: string
  html: string
} {
  const name = plainName(email.requesterName)
  const when = email.expiresAt.toUTCString()
  const subject = `${name} asks you to send a secret securely`
  const text = [
    `${name} asks you for a secret (a password, a key, a file) through Sealpost.`,
    'Open the link to see what is asked; what you send is encrypted on your device for them alone.',
    '',
    `Answer here: ${email.url}`,
    '',
    `The link works until ${when}.`,
  ].join('\n')
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>${escapeHtml(name)} asks you for a secret (a password, a key, a file) through Sealpost.</p>
<p>Open the link to see what is asked; what you send is encrypted on your device for them alone.</p>
<p><a href="${escapeHtml(email.url)}">Answer the request</a></p>
<p style="color:#555">The link works until ${escapeHtml(when)}.</p>
</body></html>`
  return { subject, text, html }
}

/**
 * "Your link was opened": the link's date and the view's number only. The label, subject and
 * content are sealed and never reach this code; the link itself is not repeated either.
 */
export function renderLinkOpenedEmail(email: LinkOpenedEmail): {
  subject: string
  text: string
  html: string
} {
  const created = email.createdAt.toUTCString()
  const views = `view ${email.view} of ${email.maxViews}`
  const subject = `Your Sealpost link was opened (${views})`
  const text = [
    `Your Sealpost link created on ${created} was opened (${views}).`,
    '',
    `See your links: ${email.linksUrl}`,
    '',
    'You get this email because you asked to be told when the link is opened.',
  ].join('\n')
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Your Sealpost link created on ${escapeHtml(created)} was opened (${escapeHtml(views)}).</p>
<p><a href="${escapeHtml(email.linksUrl)}">See your links</a></p>
<p style="color:#555">You get this email because you asked to be told when the link is opened.</p>
</body></html>`
  return { subject, text, html }
}

/**
 * "You have a secure message" (S29): the sender's name, the expiry in days and the app. The
 * subject, body and file names are sealed and never reach this code.
 */
export function renderMessageNotice(email: MessageNoticeEmail): {
  subject: string
  text: string
  html: string
} {
  const name = plainName(email.senderName)
  const expiry =
    email.expiresInDays === null
      ? ''
      : `It expires in ${email.expiresInDays} ${email.expiresInDays === 1 ? 'day' : 'days'}.`
  const subject = `You have a secure message from ${name}`
  const text = [
    `You have a secure message from ${name} in Sealpost.`,
    ...(expiry ? [expiry] : []),
    '',
    `Read it here: ${email.appUrl}`,
    '',
    'You can turn these emails off in Sealpost.',
  ].join('\n')
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>You have a secure message from ${escapeHtml(name)} in Sealpost.${expiry ? ` ${escapeHtml(expiry)}` : ''}</p>
<p><a href="${escapeHtml(email.appUrl)}">Read it in Sealpost</a></p>
<p style="color:#555">You can turn these emails off in Sealpost.</p>
</body></html>`
  return { subject, text, html }
}

/**
 * "A secure message expires in 24 hours" (issue 12): who sent the unread messages, how many and
 * when the first expires; like the new-message notice, nothing of what they say.
 */
export function renderExpiryReminder(email: ExpiryReminderEmail): {
  subject: string
  text: string
  html: string
} {
  const names = email.senderNames.map(plainName)
  const from = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and others`
  const hours = `${email.hoursLeft} ${email.hoursLeft === 1 ? 'hour' : 'hours'}`
  const subject =
    email.count === 1
      ? `A secure message expires in ${hours}`
      : `${email.count} secure messages expire within ${hours}`
  const lead =
    email.count === 1
      ? `You have not read a secure message from ${from} yet. It expires in ${hours}, then it is gone for good.`
      : `You have not read ${email.count} secure messages from ${from} yet. The first expires in ${hours}, then it is gone for good.`
  const text = [
    lead,
    '',
    `Read it here: ${email.appUrl}`,
    '',
    'You can turn these emails off in Sealpost.',
  ].join('\n')
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>${escapeHtml(lead)}</p>
<p><a href="${escapeHtml(email.appUrl)}">Read it in Sealpost</a></p>
<p style="color:#555">You can turn these emails off in Sealpost.</p>
</body></html>`
  return { subject, text, html }
}
