import {
  ACCESS_PROOF_HEADER,
  ANSWER_LIFETIME_DAYS,
  ANSWER_MAX_FILES,
  type AnswerEnvelope,
  AnswerChunkParams,
  AnswerParams,
  canonicalJson,
  CHUNK_BYTES,
  deriveRequestKeys,
  EmailLinkResponse,
  EmailRequestRequest,
  equalBytes,
  fromBase64Url,
  PutAnswerRequest,
  PutRequestRequest,
  REQUEST_MAX_EXPIRY_DAYS,
  REQUEST_MIN_EXPIRY_MS,
  REQUEST_SECRET_BYTES,
  RequestFragment,
  RequestIdParams,
  RequestList,
  requestKeyFingerprint,
  RequestSummary,
  RequestView,
  SEALED_CHUNK_OVERHEAD,
  ViewRequestRequest,
} from '@sealpost/core'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { proves } from '../../http/tokens.js'
import { relayEmails, requireMailer } from '../mail/relay.js'
import {
  checkEmailRecipients,
  checkExpiry,
  maxExpiryDaysOf,
  policyOf,
  requireAllowed,
} from '../policies/enforce.js'
import { blobExists, stageChunks, vaultBytesOf } from '../uploads/queries.js'
import { quotaExceeded, verifyStagedFiles } from '../uploads/staged-files.js'
import {
  answerBytesOf,
  countAnswer,
  deleteRequests,
  findAnswer,
  findOpenRequest,
  findOwnRequest,
  findRequest,
  insertAnswer,
  insertRequest,
  listOwnRequests,
  type OpenRequest,
  stagedForRequests,
} from './queries.js'
import { storedJson } from '../../db/json.js'

const DAY_MS = 24 * 3_600_000
/** The sending device's clock may differ from ours by this much (as for messages). */
const CLOCK_SKEW_MS = 10 * 60_000
/** A 100,000-character answer and 100 sealed file names stay well under this. */
const ANSWER_BODY_LIMIT = 4 * 1024 * 1024

/**
 * One answer for wrong, expired, closed, used-up and unknown requests, so none can be told
 * apart; the same status, body and headers on every public route.
 */
const notAvailable = () => new AppError('not_available', 'This request is not available')
const notFound = () => new AppError('not_found', 'no such request')

/**
 * The request link to mail: this server's public URL, `/r/<id>` and the fragment from the
 * client's link, whose secret must derive this id and whose fingerprint must be the requester's
 * key (a wrong one would make every visitor refuse to answer). Nothing else of the client's text.
 */
async function serverRequestUrl(
  publicUrl: string,
  id: string,
  clientUrl: string,
  requesterKey: string,
): Promise<{ href: string; secret: string }> {
  const fromClient = new URL(clientUrl)
  const fragment = RequestFragment.safeParse(fromClient.hash.slice(1))
  const wrong = () => new AppError('invalid_input', 'url must be this request')
  if (fromClient.pathname !== `/r/${id}` || !fragment.success) throw wrong()
  const bytes = fromBase64Url(fragment.data)
  const keys = await deriveRequestKeys(bytes.slice(0, REQUEST_SECRET_BYTES))
  const fingerprint = await requestKeyFingerprint(fromBase64Url(requesterKey))
  if (keys.id !== id || !equalBytes(fingerprint, bytes.slice(REQUEST_SECRET_BYTES))) throw wrong()
  return { href: `${publicUrl}/r/${id}#${fragment.data}`, secret: fragment.data }
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Requests for a secret (DESIGN.md §3): the requester's routes and the visitor's public ones. */
export function requestRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { maxFileBytes, maxMessageBytes, userQuotaBytes, staging } = ctx.config

  /** Days an answer stays: ANSWER_LIFETIME_DAYS, or the requester's maxExpiryDays if shorter. */
  async function answerLifetimeDays(ownerId: string): Promise<number> {
    return Math.min(ANSWER_LIFETIME_DAYS, maxExpiryDaysOf(await policyOf(ctx, ownerId)))
  }

  /**
   * A public call with the access proof: the open request it proves, or the one not-available
   * answer. Failures count against the request and the caller's address; a success gives its
   * attempt back, as for links.
   */
  async function openWithProof(
    request: FastifyRequest,
    id: string,
    proof: string | undefined,
  ): Promise<OpenRequest> {
    await ctx.requestLimiter.attempt(id, request.ip)
    const open = await findOpenRequest(ctx.db, id, ctx.clock.now().getTime())
    if (!open || !proves(proof, open.accessVerifier)) throw notAvailable()
    await ctx.requestLimiter.succeeded(id, request.ip)
    return open
  }

  /** Vault files, answers held and visitors' uploads must fit the requester's quota. */
  async function checkQuota(ownerId: string, pendingBytes: number): Promise<void> {
    const held = (await vaultBytesOf(ctx.db, ownerId)) + (await answerBytesOf(ctx.db, ownerId))
    if (held + pendingBytes > userQuotaBytes) throw quotaExceeded(userQuotaBytes)
  }

  return async (app) => {
    app.put(
      '/requests/:id',
      {
        schema: {
          tags: ['requests'],
          summary: 'Request a secret: store the sealed note of a new request; retrying is safe',
          params: RequestIdParams,
          body: PutRequestRequest,
          response: { 200: z.object({ id: z.string() }) },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const { id } = request.params
        const body = request.body
        const now = ctx.clock.now().getTime()
        const existing = await findRequest(ctx.db, id)
        if (existing) {
          if (existing.owner_id === user.id && existing.owner_copy === JSON.stringify(body.owner)) {
            return { id }
          }
          throw new AppError('request_exists', 'a different request with this id exists')
        }
        const policy = await policyOf(ctx, user.id)
        requireAllowed(policy, 'canRequestSecrets')
        const expiresAt = Date.parse(body.expiresAt)
        if (expiresAt < now + REQUEST_MIN_EXPIRY_MS - CLOCK_SKEW_MS) {
          throw new AppError('invalid_input', 'a request must stay open for at least an hour')
        }
        checkExpiry(policy, expiresAt, now, REQUEST_MAX_EXPIRY_DAYS)
        await insertRequest(ctx.db, {
          id,
          owner_id: user.id,
          access_verifier: body.accessVerifier,
          note: JSON.stringify(body.note),
          owner_copy: JSON.stringify(body.owner),
          allow_files: body.allowFiles ? 1 : 0,
          max_answers: body.maxAnswers,
          expires_at: expiresAt,
          created_at: now,
        })
        return { id }
      },
    )

    app.get(
      '/requests',
      {
        schema: {
          tags: ['requests'],
          summary: 'My requests that have not expired, with answers received',
          response: { 200: RequestList },
        },
        preHandler: requireUser,
      },
      async (request) => ({
        requests: await listOwnRequests(
          ctx.db,
          signedInUser(request).id,
          ctx.clock.now().getTime(),
        ),
      }),
    )

    app.get(
      '/requests/:id',
      {
        schema: {
          tags: ['requests'],
          summary: 'One of my requests (404 for anyone else’s)',
          params: RequestIdParams,
          response: { 200: RequestSummary },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const found = await findOwnRequest(
          ctx.db,
          signedInUser(request).id,
          request.params.id,
          ctx.clock.now().getTime(),
        )
        if (!found) throw notFound()
        return found
      },
    )

    app.delete(
      '/requests/:id',
      {
        schema: {
          tags: ['requests'],
          summary: 'Close one of my requests now; the answers received stay in my inbox',
          params: RequestIdParams,
          response: { 204: z.null() },
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const found = await findRequest(ctx.db, request.params.id)
        if (!found || found.owner_id !== signedInUser(request).id) throw notFound()
        await ctx.db.transaction().execute((trx) => deleteRequests(trx, [found.id]))
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/requests/:id/email',
      {
        schema: {
          tags: ['requests'],
          summary: 'Email one of my request links (the server sees the link while relaying it)',
          params: RequestIdParams,
          body: EmailRequestRequest,
          response: { 200: EmailLinkResponse },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const { id } = request.params
        const found = await findRequest(ctx.db, id)
        if (!found || found.owner_id !== user.id) throw notFound()
        const policy = await policyOf(ctx, user.id)
        requireAllowed(policy, 'canRequestSecrets')
        checkEmailRecipients(policy, request.body.to)
        const mailer = requireMailer(ctx)
        const open = await findOpenRequest(ctx.db, id, ctx.clock.now().getTime())
        if (!open) throw notFound()
        const url = await serverRequestUrl(
          ctx.config.publicUrl,
          id,
          request.body.url,
          open.x25519PublicKey,
        )
        const results = await relayEmails(ctx, {
          userId: user.id,
          to: request.body.to,
          secrets: [url.href, url.secret],
          send: (to) =>
            mailer.sendRequestEmail({
              to,
              requesterName: user.displayName,
              url: url.href,
              expiresAt: new Date(open.expiresAt),
            }),
        })
        return { results }
      },
    )

    app.post(
      '/public/requests/:id/view',
      {
        schema: {
          tags: ['requests'],
          summary:
            'Public: with the access proof, the sealed note, the requester’s key and what an answer may hold',
          params: RequestIdParams,
          body: ViewRequestRequest,
          response: { 200: RequestView },
        },
      },
      async (request) => {
        const open = await openWithProof(request, request.params.id, request.body.accessProof)
        return {
          note: open.note,
          requester: { id: open.ownerId, x25519PublicKey: open.x25519PublicKey },
          allowFiles: open.allowFiles,
          expiresAt: new Date(open.expiresAt).toISOString(),
          answersLeft: open.answersLeft,
          answerLifetimeDays: await answerLifetimeDays(open.ownerId),
          maxFileBytes,
          maxAnswerBytes: maxMessageBytes,
        }
      },
    )

    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer' },
      (_request, body, done) => done(null, body),
    )

    app.put(
      '/public/requests/:id/uploads/:blobId/chunks/:index',
      {
        schema: {
          tags: ['requests'],
          summary: `Public: stage one sealed 64 KiB chunk of an answer's file (access proof in ${ACCESS_PROOF_HEADER})`,
          params: AnswerChunkParams,
          response: { 204: z.null() },
        },
        bodyLimit: CHUNK_BYTES + SEALED_CHUNK_OVERHEAD,
      },
      async (request, reply) => {
        const { id, blobId, index } = request.params
        const open = await openWithProof(request, id, headerValue(request, ACCESS_PROOF_HEADER))
        if (!open.allowFiles) throw new AppError('forbidden', 'this request takes no files')
        const bytes = request.body
        if (!(bytes instanceof Buffer) || bytes.length < SEALED_CHUNK_OVERHEAD) {
          throw new AppError('invalid_input', 'send the sealed chunk as application/octet-stream')
        }
        // The largest file allowed has chunks 0 to ceil(max / CHUNK_BYTES) - 1; none goes past it.
        if (index >= Math.ceil(maxFileBytes / CHUNK_BYTES)) {
          throw new AppError('payload_too_large', 'file is too large')
        }
        if (await blobExists(ctx.db, blobId)) {
          throw new AppError('file_exists', 'this file was already sent')
        }
        // What waits for this request is one answer's worth; all of it counts against the quota.
        const staged = await stagedForRequests(ctx.db, open.ownerId, id)
        if (staged.requestBytes + bytes.length > maxMessageBytes) {
          throw new AppError('payload_too_large', 'the files of an answer are too large')
        }
        if (staged.requestFiles >= Math.min(staging.maxFiles, ANSWER_MAX_FILES)) {
          throw new AppError('payload_too_large', 'too many files wait to be sent')
        }
        await checkQuota(open.ownerId, staged.ownerBytes + bytes.length)
        const isStaged = await stageChunks(ctx.db, {
          blobId,
          from: index,
          ownerId: open.ownerId,
          requestId: id,
          chunks: [new Uint8Array(bytes)],
          now: ctx.clock.now().getTime(),
        })
        if (!isStaged) throw new AppError('not_found', 'no such upload')
        return reply.status(204).send(null)
      },
    )

    app.put(
      '/public/requests/:id/answers/:answerId',
      {
        schema: {
          tags: ['requests'],
          summary:
            'Public: answer a request; the sealed answer and its staged files land in the requester’s inbox. Retrying is safe.',
          params: AnswerParams,
          body: PutAnswerRequest,
          response: { 200: z.object({ id: z.uuid() }) },
        },
        bodyLimit: ANSWER_BODY_LIMIT,
      },
      async (request) => {
        const { id, answerId } = request.params
        const { answer } = request.body
        const sealedParts = (
          e: Pick<AnswerEnvelope, 'sentAt' | 'expiresAt' | 'body' | 'attachments'>,
        ) => canonicalJson([e.sentAt, e.expiresAt, e.body, e.attachments])
        /** 'same' when this very answer is stored already (a retry), 'other' for another message. */
        const stored = async (): Promise<'same' | 'other' | 'none'> => {
          const row = await findAnswer(ctx.db, answerId)
          if (!row) return 'none'
          const isSame =
            row.request_id === id &&
            sealedParts(storedJson<AnswerEnvelope>(row.envelope)) === sealedParts(answer)
          return isSame ? 'same' : 'other'
        }
        if ((await stored()) === 'same') return { id: answerId }

        const open = await openWithProof(request, id, request.body.accessProof)
        const now = ctx.clock.now().getTime()
        if (answer.attachments.length > 0 && !open.allowFiles) {
          throw new AppError('forbidden', 'this request takes no files')
        }
        const sentAt = Date.parse(answer.sentAt)
        if (Math.abs(sentAt - now) > CLOCK_SKEW_MS) {
          throw new AppError(
            'invalid_input',
            'sentAt is too far from the server time; check this device’s clock',
          )
        }
        if (
          Date.parse(answer.expiresAt) !==
          sentAt + (await answerLifetimeDays(open.ownerId)) * DAY_MS
        ) {
          throw new AppError('invalid_input', 'expiresAt must be the answer lifetime after sentAt')
        }
        const sizeBytes = await verifyStagedFiles(
          ctx.db,
          open.ownerId,
          answer.attachments,
          { maxFileBytes, maxMessageBytes },
          id,
        )
        // Text alone takes no storage worth counting; files count against the quota.
        if (sizeBytes > 0) await checkQuota(open.ownerId, sizeBytes)
        const envelope: AnswerEnvelope = {
          v: 1,
          kind: 'request-answer',
          id: answerId,
          requestId: id,
          requesterId: open.ownerId,
          sentAt: answer.sentAt,
          expiresAt: answer.expiresAt,
          body: answer.body,
          attachments: answer.attachments,
          owner: open.ownerCopy,
        }
        let isCounted = false
        try {
          isCounted = await ctx.db.transaction().execute(async (trx) => {
            // The last place may have gone to another answer meanwhile.
            if (!(await countAnswer(trx, id, now))) return false
            await insertAnswer(trx, { envelope, key: answer.key, sizeBytes, now })
            return true
          })
        } catch (error) {
          // Two racing retries: the loser finds the winner's row.
          const found = await stored()
          if (found === 'same') return { id: answerId }
          if (found === 'other') {
            throw new AppError('message_exists', 'a different message with this id exists')
          }
          throw error
        }
        if (!isCounted) throw notAvailable()
        await ctx.events.publish([open.ownerId], {
          type: 'message.created',
          id: answerId,
          highPriority: false,
        })
        return { id: answerId }
      },
    )
  }
}
