import { Readable } from 'node:stream'
import {
  EmailLinkRequest,
  EmailLinkResponse,
  ErrorBody,
  deriveLinkKeys,
  fromBase64Url,
  LINK_MAX_PASSPHRASE_FAILURES,
  LinkSecret,
  LinkIdParams,
  LinkDetail,
  LinkList,
  LinkListQuery,
  type LinkPassphraseParams,
  MailStatus,
  OpenLinkRequest,
  type OpenLinkHead,
  PutLinkRequest,
  RevealLinkRequest,
  RevealLinkResponse,
  SealedEnvelope,
} from '@sealpost/core'
import type { FastifyBaseLogger } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { parseJson } from '../../db/json.js'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { proves } from '../../http/tokens.js'
import { auditClient } from '../audit/client.js'
import { sizeClass } from '../audit/details.js'
import { recordAuditEvent } from '../audit/queries.js'
import { relayEmails, requireMailer } from '../mail/relay.js'
import { findUser } from '../users/queries.js'
import {
  checkEmailRecipients,
  checkExpiry,
  checkFileSize,
  checkLinkPassphrase,
  checkLinkViews,
  policyOf,
  requireAllowed,
  withAllowedAddresses,
} from '../policies/enforce.js'
import { commitStagedBlob } from '../uploads/queries.js'
import { verifyStagedFiles } from '../uploads/staged-files.js'
import { createOpensInProgress } from './opens-in-progress.js'
import {
  blobChunkRange,
  countWrongPassphrase,
  endLinks,
  findOwnLink,
  forgetLinks,
  recordLinkEvent,
  finishRead,
  findLinkForOwner,
  findOpenableLink,
  insertLink,
  linkFiles,
  listOwnLinks,
  recordLinkEmail,
  spendView,
} from './queries.js'

const HOUR_MS = 3_600_000
/**
 * How long a used-up link is kept for readers still streaming it; past this the sweeper
 * deletes it even if a reader never said it was done (its process died).
 */
const READ_WINDOW_MS = HOUR_MS
/** Chunks read from the database at once while streaming: 1 MiB of 64 KiB chunks. */
const CHUNKS_PER_READ = 16

/** One answer for wrong, expired, used-up and deleted links, so none can be told apart (S21). */
const notAvailable = () => new AppError('not_available', 'This link is not available')

function wrongPassphrase(triesLeft: number) {
  return new AppError(
    'wrong_passphrase',
    triesLeft > 0
      ? `wrong passphrase; ${triesLeft} more and the link is destroyed`
      : 'wrong passphrase; the link is now destroyed',
    { triesLeft },
  )
}

/**
 * An open without a passphrase proof, of a link that has a passphrase: how to derive the proof.
 * Said only to a visitor who proved the secret, like wrong_passphrase.
 */
function passphraseNeeded(passphrase: LinkPassphraseParams) {
  return new AppError('passphrase_needed', 'this link needs a passphrase', { passphrase })
}

/** u32 length + bytes, big-endian: the framing of the open response (see core's readLinkFrames). */
function frame(bytes: Uint8Array): Buffer[] {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return [length, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]
}

/**
 * The open response after the view is spent: the head, then every file's chunks read from
 * the database a few at a time as the client takes them (backpressure), so an open holds
 * about 1 MiB however big the link. When it ends, however it ends, the open stops counting
 * and the reader is finished: the last reader of a used-up link deletes it.
 */
function streamOpenedLink(
  ctx: AppContext,
  id: string,
  head: OpenLinkHead,
  endOpen: () => void,
  log: FastifyBaseLogger,
): Readable {
  let finished: Promise<void> | undefined
  const finish = () =>
    (finished ??= (async () => {
      endOpen()
      await ctx.db.transaction().execute((trx) => finishRead(trx, id, ctx.clock.now().getTime()))
    })())

  async function* frames(): AsyncGenerator<Buffer> {
    try {
      yield* frame(new TextEncoder().encode(JSON.stringify(head)))
      for (const file of head.files) {
        for (let from = 0; from < file.chunkCount; from += CHUNKS_PER_READ) {
          const to = Math.min(from + CHUNKS_PER_READ, file.chunkCount)
          const chunks = await blobChunkRange(ctx.db, file.blobId, from, to)
          // Deleted by its owner (or destroyed) meanwhile: cut the answer, the client notices.
          if (chunks.length !== to - from) throw new Error('a file of this link is gone')
          for (const chunk of chunks) yield* frame(chunk.bytes)
        }
      }
    } finally {
      await finish()
    }
  }

  const stream = Readable.from(frames(), { objectMode: false })
  // A stream destroyed before it was ever read never runs the generator's `finally`.
  stream.once('close', () => {
    finish().catch((error: unknown) => log.error({ err: error }, 'could not finish a link read'))
  })
  return stream
}

/**
 * The link to mail: this server's public URL, `/s/<id>` and the secret from the client's
 * link, which must be this link's (it derives the id). Nothing else of the client's text.
 */
async function serverLinkUrl(
  publicUrl: string,
  id: string,
  clientUrl: string,
): Promise<{ href: string; secret: string }> {
  const fromClient = new URL(clientUrl)
  const secret = LinkSecret.safeParse(fromClient.hash.slice(1))
  if (fromClient.pathname !== `/s/${id}` || !secret.success) {
    throw new AppError('invalid_input', 'url must be this link')
  }
  const keys = await deriveLinkKeys(fromBase64Url(secret.data))
  if (keys.id !== id) throw new AppError('invalid_input', 'url must be this link')
  return { href: `${publicUrl}/s/${id}#${secret.data}`, secret: secret.data }
}

/**
 * Emails a link's owner that a view was spent: the link's date and the view's number, and the
 * Links page. Sent only to an owner whose account is still active.
 */
async function tellOwnerOfOpen(
  ctx: AppContext,
  link: { owner_id: string; created_at: number },
  head: OpenLinkHead,
): Promise<void> {
  const owner = await findUser(ctx.db, link.owner_id)
  if (!ctx.mailer || owner?.status !== 'active') return
  // The owner's policy now, not when the link was made: allowedEmailDomains may have changed.
  if ((await withAllowedAddresses(ctx.db, [owner])).length === 0) return
  await ctx.mailer.sendLinkOpenedEmail({
    to: owner.email,
    createdAt: new Date(link.created_at),
    view: head.views,
    maxViews: head.maxViews,
    linksUrl: `${ctx.config.publicUrl}/messages/links`,
  })
}

export function linkRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { maxFileBytes, maxMessageBytes } = ctx.config
  const opensInProgress = createOpensInProgress(ctx.config.linkOpens)

  return async (app) => {
    app.get(
      '/mail/status',
      {
        schema: {
          tags: ['links'],
          summary: 'Whether the server can send email',
          response: { 200: MailStatus },
        },
        preHandler: requireUser,
      },
      async () => ({ enabled: ctx.mailer !== undefined }),
    )

    app.put(
      '/links/:id',
      {
        schema: {
          tags: ['links'],
          summary: 'Create a shareable link from sealed content and staged files; retrying is safe',
          params: LinkIdParams,
          body: PutLinkRequest,
          response: { 200: z.object({ id: z.string() }) },
        },
        bodyLimit: 4 * 1024 * 1024,
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const body = request.body
        const id = request.params.id
        const now = ctx.clock.now().getTime()
        const existing = await findLinkForOwner(ctx.db, id)
        if (existing) {
          if (existing.owner_id === user.id && existing.payload === JSON.stringify(body.payload)) {
            return { id }
          }
          throw new AppError('link_exists', 'a different link with this id exists')
        }
        const policy = await policyOf(ctx, user.id)
        requireAllowed(policy, 'canCreateLinks')
        if (body.files.length > 0) requireAllowed(policy, 'canSendAttachments')
        for (const file of body.files) checkFileSize(policy, file.size)
        checkLinkViews(policy, body.maxViews)
        checkLinkPassphrase(policy, body.passphrase !== null)
        if (body.notifyOnOpen === true) {
          requireMailer(ctx)
          // The owner's own address: a notification is email too.
          checkEmailRecipients(policy, [user.email])
        }
        const expiresAt = Date.parse(body.expiresAt)
        checkExpiry(policy, expiresAt, now)
        const sizeBytes = await verifyStagedFiles(ctx.db, user.id, body.files, {
          maxFileBytes,
          maxMessageBytes,
        })
        await ctx.db.transaction().execute(async (trx) => {
          await insertLink(trx, {
            id,
            owner_id: user.id,
            access_verifier: body.accessVerifier,
            passphrase: body.passphrase ? JSON.stringify(body.passphrase) : null,
            payload: JSON.stringify(body.payload),
            label: body.label ? JSON.stringify(body.label) : null,
            expires_at: expiresAt,
            max_views: body.maxViews,
            file_count: body.files.length,
            size_bytes: sizeBytes,
            created_at: now,
            notify_on_open: body.notifyOnOpen === true ? 1 : 0,
          })
          for (const file of body.files) {
            await commitStagedBlob(trx, {
              ...file,
              ownerId: user.id,
              messageId: null,
              linkId: id,
              now,
            })
          }
          await recordAuditEvent(trx, {
            actorId: user.id,
            action: 'link.created',
            targetId: id,
            now,
            client: auditClient(request),
            details: {
              maxViews: body.maxViews,
              expiresAt: body.expiresAt,
              passphrase: body.passphrase !== null,
              files: body.files.length,
              size: sizeClass(sizeBytes),
            },
          })
        })
        return { id }
      },
    )

    app.get(
      '/links',
      {
        schema: {
          tags: ['links'],
          summary: 'My live links with views used and expiry (S23); with all=true, ended ones too',
          querystring: LinkListQuery,
          response: { 200: LinkList },
        },
        preHandler: requireUser,
      },
      async (request) => ({
        links: await listOwnLinks(ctx.db, signedInUser(request).id, ctx.clock.now().getTime(), {
          all: request.query.all,
        }),
      }),
    )

    app.get(
      '/links/:id',
      {
        schema: {
          tags: ['links'],
          summary: 'One of my links, ended or not, with what happened to it (404 for anyone else)',
          params: LinkIdParams,
          response: { 200: LinkDetail },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const found = await findOwnLink(
          ctx.db,
          user.id,
          request.params.id,
          ctx.clock.now().getTime(),
        )
        if (!found) throw new AppError('not_found', 'no such link')
        return found
      },
    )

    app.delete(
      '/links/:id',
      {
        schema: {
          tags: ['links'],
          summary:
            'Delete one of my links now, with its files (it stays in my history); an ended link leaves my history',
          params: LinkIdParams,
          response: { 204: z.null() },
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        const link = await findLinkForOwner(ctx.db, request.params.id)
        if (!link || link.owner_id !== user.id) {
          throw new AppError('not_found', 'no such link')
        }
        const by = { actorId: user.id, client: auditClient(request) }
        await ctx.db
          .transaction()
          .execute((trx) =>
            link.ended_at === null
              ? endLinks(trx, [link.id], 'deleted', ctx.clock.now().getTime(), by)
              : forgetLinks(trx, [link.id]),
          )
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/links/:id/email',
      {
        schema: {
          tags: ['links'],
          summary: 'Email one of my links (the server sees the link while relaying it, S22)',
          params: LinkIdParams,
          body: EmailLinkRequest,
          response: { 200: EmailLinkResponse },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const id = request.params.id
        const link = await findLinkForOwner(ctx.db, id)
        if (!link || link.owner_id !== user.id) throw new AppError('not_found', 'no such link')
        const policy = await policyOf(ctx, user.id)
        requireAllowed(policy, 'canCreateLinks')
        checkEmailRecipients(policy, request.body.to)
        const mailer = requireMailer(ctx)
        const url = await serverLinkUrl(ctx.config.publicUrl, id, request.body.url)
        const openable = await findOpenableLink(ctx.db, id, ctx.clock.now().getTime())
        if (!openable) throw new AppError('not_found', 'no such link')
        const results = await relayEmails(ctx, {
          userId: user.id,
          to: request.body.to,
          secrets: [url.href, url.secret],
          send: (to) =>
            mailer.sendLinkEmail({
              to,
              senderName: user.displayName,
              url: url.href,
              expiresAt: new Date(openable.expires_at),
              hasPassphrase: openable.passphrase !== null,
            }),
          record: ({ to, ok, error }) =>
            recordLinkEmail(ctx.db, {
              linkId: id,
              to,
              status: ok ? 'sent' : 'failed',
              error,
              now: ctx.clock.now().getTime(),
            }),
        })
        // How many addresses, never which: they are the owner's correspondents.
        await recordAuditEvent(ctx.db, {
          actorId: user.id,
          action: 'link.emailed',
          targetId: id,
          now: ctx.clock.now().getTime(),
          client: auditClient(request),
          details: { addresses: results.length, sent: results.filter((r) => r.ok).length },
        })
        return { results }
      },
    )

    app.post(
      '/public/links/:id/check',
      {
        schema: {
          tags: ['links'],
          summary:
            'Public: with the access proof, whether the link can still be opened (204) or not (404 not_available). Spends no view and records nothing in its history.',
          params: LinkIdParams,
          body: RevealLinkRequest,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const id = request.params.id
        // The same guesses as reveal and open: a check must not be a free oracle for the secret.
        await ctx.linkLimiter.attempt(id, request.ip)
        const link = await findOpenableLink(ctx.db, id, ctx.clock.now().getTime())
        if (!link || !proves(request.body.accessProof, link.access_verifier)) throw notAvailable()
        await ctx.linkLimiter.succeeded(id, request.ip)
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/public/links/:id/reveal',
      {
        schema: {
          tags: ['links'],
          summary:
            'Public: with the access proof, says whether a passphrase is needed. Spends no view. Kept for older clients: an open without a passphrase proof answers the same (`passphrase_needed`).',
          params: LinkIdParams,
          body: RevealLinkRequest,
          response: { 200: RevealLinkResponse },
        },
      },
      async (request) => {
        const id = request.params.id
        await ctx.linkLimiter.attempt(id, request.ip)
        const now = ctx.clock.now().getTime()
        const link = await findOpenableLink(ctx.db, id, now)
        if (!link || !proves(request.body.accessProof, link.access_verifier)) throw notAvailable()
        await ctx.linkLimiter.succeeded(id, request.ip)
        await recordLinkEvent(ctx.db, id, 'revealed', now, auditClient(request))
        return {
          passphrase: link.passphrase
            ? { salt: link.passphrase.salt, params: link.passphrase.params }
            : null,
          fileCount: link.file_count,
        }
      },
    )

    app.post(
      '/public/links/:id/open',
      {
        schema: {
          tags: ['links'],
          summary:
            'Public: spends one view and answers the sealed content (application/octet-stream: u32 head length, JSON head, then u32-framed chunks). The last view deletes the link. Without a passphrase proof, a link with a passphrase answers 403 `passphrase_needed` instead, spending no view.',
          params: LinkIdParams,
          body: OpenLinkRequest,
          response: {
            200: z.unknown().describe('The sealed content, framed as the summary says'),
            403: ErrorBody.describe(
              'With a valid access proof: no passphrase proof for a link that has a passphrase (`passphrase_needed`, with `passphrase`: the salt and Argon2id parameters to derive it; no view spent, not counted as wrong), or a wrong passphrase (`wrong_passphrase`, with `triesLeft`; at 0 the link was destroyed). Or a missing CSRF header (`csrf_required`).',
            ),
          },
        },
      },
      async (request, reply) => {
        const id = request.params.id
        const now = ctx.clock.now().getTime()
        const endOpen = opensInProgress.begin(id, request.ip)
        let stream: Readable
        try {
          await ctx.linkLimiter.attempt(id, request.ip)
          // Short: spends the view and lists the files; the chunks are read while they stream.
          const opened = await ctx.db.transaction().execute(async (trx) => {
            const link = await findOpenableLink(trx, id, now)
            if (!link || !proves(request.body.accessProof, link.access_verifier)) return undefined
            if (link.passphrase && request.body.passphraseProof === undefined) {
              // What reveal answers, so opening takes one request: no view, no failure counted.
              await recordLinkEvent(trx, id, 'revealed', now, auditClient(request))
              const { salt, params } = link.passphrase
              return { outcome: 'passphrase_needed' as const, passphrase: { salt, params } }
            }
            if (
              link.passphrase &&
              !proves(request.body.passphraseProof, link.passphrase.verifier)
            ) {
              const failures = await countWrongPassphrase(trx, id)
              await recordLinkEvent(trx, id, 'wrong_passphrase', now, auditClient(request))
              if (failures >= LINK_MAX_PASSPHRASE_FAILURES) {
                await endLinks(trx, [id], 'destroyed', now, {
                  actorId: null,
                  client: auditClient(request),
                })
              }
              // Returned, not thrown: the count and the destruction must commit.
              return {
                outcome: 'wrong_passphrase' as const,
                triesLeft: Math.max(0, LINK_MAX_PASSPHRASE_FAILURES - failures),
              }
            }
            const spent = await spendView(trx, id, now, now + READ_WINDOW_MS)
            if (!spent) return undefined
            await recordLinkEvent(trx, id, 'opened', now, auditClient(request), spent.views)
            const head: OpenLinkHead = {
              payload: parseJson(SealedEnvelope, link.payload),
              files: await linkFiles(trx, id),
              views: spent.views,
              maxViews: spent.max_views,
              expiresAt: new Date(link.expires_at).toISOString(),
              deleted: spent.views >= spent.max_views,
            }
            return { outcome: 'opened' as const, head, link }
          })
          if (!opened) throw notAvailable()
          // Only a visitor who proved the secret gets here: telling the passphrase apart from a
          // gone link shows nothing to anyone without the link.
          if (opened.outcome === 'wrong_passphrase') throw wrongPassphrase(opened.triesLeft)
          if (opened.outcome === 'passphrase_needed') {
            // A success for the limiter, as reveal is: the visitor proved the secret.
            await ctx.linkLimiter.succeeded(id, request.ip)
            throw passphraseNeeded(opened.passphrase)
          }
          // Committed: the view is spent, so the owner may hear of it.
          if (opened.link.notify_on_open === 1) {
            const { link, head } = opened
            ctx.notices.post(
              () => tellOwnerOfOpen(ctx, link, head),
              request.log,
              'a link-opened email',
            )
          }
          await ctx.linkLimiter.succeeded(id, request.ip)
          stream = streamOpenedLink(ctx, id, opened.head, endOpen, request.log)
        } catch (error) {
          endOpen()
          throw error
        }
        return reply
          .header('content-type', 'application/octet-stream')
          .header('cache-control', 'no-store')
          .send(stream)
      },
    )
  }
}
