import {
  canonicalJson,
  ListQuery,
  ChunkRangeQuery,
  frameChunks,
  MessageChunkParams,
  MessageDetail,
  MessageIdParams,
  MessagePage,
  MessageReceipts,
  MessagingLimits,
  PriorityList,
  PutMessageRequest,
  RecordReceiptRequest,
  SentPage,
  UnreadCount,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { auditClient } from '../audit/client.js'
import { sizeClass } from '../audit/details.js'
import { recordAuditEvent } from '../audit/queries.js'
import { verifyStagedFiles } from '../uploads/staged-files.js'
import {
  decodeCursor,
  deleteMessages,
  findChunks,
  findExistingMessage,
  findVisibleMessage,
  findVisibleMessages,
  hideFromInbox,
  insertMessage,
  listInbox,
  listSent,
  listThreads,
  markRead,
  messageReaders,
  recipientStates,
  recordReceipt,
  recordReply,
  threadIdOf,
  unreadCounts,
  unreadPriorityIds,
} from './queries.js'
import { tellOfflineRecipients } from './notices.js'
import { activeUserIds, receiptsEnabled } from '../users/queries.js'
import {
  checkExpiry,
  checkFileSize,
  maxExpiryDaysOf,
  maxFileBytesOf,
  policyOf,
  requireAllowed,
} from '../policies/enforce.js'

/** The sending device's clock may differ from ours by this much. */
const CLOCK_SKEW_MS = 10 * 60_000
/**
 * Above the app's 1 MiB: a message to 1,000 recipients with the longest subject and body and
 * as many groups (1,001 key boxes, every id twice, text JSON-escaped at 6 bytes a character,
 * then sealed and base64url-encoded) is about 1.6 MB, and 1,000 files' names add ~0.6 MB.
 */
const MESSAGE_BODY_LIMIT = 4 * 1024 * 1024

const notFound = () => new AppError('not_found', 'no such message')

export function messageRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { maxFileBytes, maxMessageBytes } = ctx.config

  /** Each message as its reader sees it, in the order of `messageIds` (a fixed number of queries). */
  async function details(userId: string, messageIds: string[]) {
    const now = ctx.clock.now().getTime()
    const messages = await findVisibleMessages(ctx.db, userId, messageIds, now)
    const sent = messageIds.filter((id) => messages.get(id)?.isSender)
    const states = await recipientStates(ctx.db, sent, { receipts: await receiptsEnabled(ctx.db) })
    const threads = await listThreads(
      ctx.db,
      userId,
      [...new Set([...messages.values()].map((m) => m.threadId))],
      now,
    )
    return messageIds.flatMap((id) => {
      const message = messages.get(id)
      if (!message) return []
      return [
        {
          envelope: message.envelope,
          key: message.key,
          sender: message.sender,
          readAt: message.readAt,
          recipients: message.isSender ? (states.get(id) ?? []) : null,
          thread: (threads.get(message.threadId) ?? []).filter((t) => t.id !== id),
        },
      ]
    })
  }

  async function detail(userId: string, messageId: string) {
    const [found] = await details(userId, [messageId])
    if (!found) throw notFound()
    return found
  }

  return async (app) => {
    app.get(
      '/messages/limits',
      {
        schema: {
          tags: ['messages'],
          summary: 'Size and expiry limits for sending',
          response: { 200: MessagingLimits },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const policy = await policyOf(ctx, signedInUser(request).id)
        return {
          maxFileBytes: maxFileBytesOf(policy, maxFileBytes),
          maxMessageBytes,
          maxExpiryDays: maxExpiryDaysOf(policy),
        }
      },
    )

    app.put(
      '/messages/:id',
      {
        schema: {
          tags: ['messages'],
          summary:
            'Send: commits the message, its key boxes and its staged chunks atomically; retrying is safe',
          params: MessageIdParams,
          body: PutMessageRequest,
          response: { 200: z.object({ id: z.uuid() }) },
        },
        bodyLimit: MESSAGE_BODY_LIMIT,
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const { envelope, keys } = request.body
        const now = ctx.clock.now().getTime()
        if (envelope.id !== request.params.id) {
          throw new AppError('invalid_input', 'envelope id does not match the URL')
        }

        const existing = await findExistingMessage(ctx.db, envelope.id)
        if (existing) {
          // Idempotent retry: the same sender sending the same envelope gets the same answer,
          // whatever order its keys (or the stored row's) were written in.
          if (
            existing.sender_id === user.id &&
            canonicalJson(JSON.parse(existing.envelope)) === canonicalJson(envelope)
          ) {
            return { id: envelope.id }
          }
          throw new AppError('message_exists', 'a different message with this id exists')
        }

        const policy = await policyOf(ctx, user.id)
        requireAllowed(policy, 'canSendMessages')
        // Copies of vault items count as attachments (S9).
        if (envelope.attachments.length > 0 || envelope.tree !== null) {
          requireAllowed(policy, 'canSendAttachments')
        }
        for (const file of envelope.attachments) checkFileSize(policy, file.size)
        if (envelope.senderId !== user.id) {
          throw new AppError('invalid_input', 'senderId must be your own id')
        }

        const sentAt = Date.parse(envelope.sentAt)
        if (Math.abs(sentAt - now) > CLOCK_SKEW_MS) {
          throw new AppError(
            'invalid_input',
            'sentAt is too far from the server time; check this device’s clock',
          )
        }
        checkExpiry(
          policy,
          envelope.expiresAt === null ? null : Date.parse(envelope.expiresAt),
          now,
        )

        const recipientIds = new Set(envelope.recipientIds)
        if (recipientIds.size !== envelope.recipientIds.length) {
          throw new AppError('invalid_input', 'a recipient is listed twice')
        }
        const active = await activeUserIds(ctx.db, [...recipientIds])
        if (active.size !== recipientIds.size) {
          throw new AppError('invalid_input', 'a recipient is not an active user')
        }
        const readers = new Set([...recipientIds, user.id])
        const boxed = new Set(keys.map((k) => k.userId))
        if (
          boxed.size !== keys.length ||
          boxed.size !== readers.size ||
          [...readers].some((id) => !boxed.has(id))
        ) {
          throw new AppError(
            'invalid_input',
            'there must be exactly one key box for each recipient and the sender',
          )
        }

        const sizeBytes = await verifyStagedFiles(ctx.db, user.id, envelope.attachments, {
          maxFileBytes,
          maxMessageBytes,
        })

        let threadId = envelope.id
        if (envelope.replyTo) {
          const original = await findVisibleMessage(ctx.db, user.id, envelope.replyTo, now)
          if (!original) {
            throw new AppError('invalid_input', 'the message replied to does not exist')
          }
          // Its sender has no account: answer it with a shareable link instead.
          if (original.isAnswer) {
            throw new AppError(
              'invalid_input',
              'an answer from outside cannot be replied to in-app',
            )
          }
          threadId = (await threadIdOf(ctx.db, envelope.replyTo)) ?? envelope.replyTo
        }

        const withReceipts = envelope.replyTo !== null && (await receiptsEnabled(ctx.db))
        let repliedTo: string | null = null
        try {
          repliedTo = await ctx.db.transaction().execute(async (trx) => {
            await insertMessage(trx, { envelope, keys, threadId, sizeBytes, now })
            // What an auditor may know of a message: never its subject, body or file names.
            await recordAuditEvent(trx, {
              actorId: user.id,
              action: 'message.sent',
              targetId: envelope.id,
              now,
              client: auditClient(request),
              details: {
                recipients: recipientIds.size,
                files: envelope.attachments.length,
                vaultCopy: envelope.tree !== null,
                size: sizeClass(sizeBytes),
                expiresAt: envelope.expiresAt ?? 'never',
                highPriority: envelope.highPriority,
                reply: envelope.replyTo !== null,
              },
            })
            return withReceipts && envelope.replyTo
              ? recordReply(trx, user.id, envelope.replyTo, now)
              : null
          })
        } catch (error) {
          // Two racing retries: the loser finds the winner's row.
          const raced = await findExistingMessage(ctx.db, envelope.id)
          if (
            raced?.sender_id === user.id &&
            canonicalJson(JSON.parse(raced.envelope)) === canonicalJson(envelope)
          ) {
            return { id: envelope.id }
          }
          throw error
        }
        await ctx.events.publish([...readers], {
          type: 'message.created',
          id: envelope.id,
          highPriority: envelope.highPriority,
        })
        // Committed: recipients away from the app may hear of it by email.
        ctx.notices.post(
          () =>
            tellOfflineRecipients(ctx, {
              senderName: user.displayName,
              recipientIds: [...recipientIds].filter((id) => id !== user.id),
              expiresAt: envelope.expiresAt === null ? null : Date.parse(envelope.expiresAt),
              now,
            }),
          request.log,
          'new-message emails',
        )
        if (repliedTo && envelope.replyTo) {
          await ctx.events.publish([repliedTo], {
            type: 'message.receipt',
            id: envelope.replyTo,
            userId: user.id,
          })
        }
        return { id: envelope.id }
      },
    )

    app.get(
      '/messages/inbox',
      {
        schema: {
          tags: ['messages'],
          summary: 'Inbox, newest first, 50 per page',
          querystring: ListQuery,
          response: { 200: MessagePage },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const { before, limit, unread } = request.query
        return listInbox(ctx.db, signedInUser(request).id, ctx.clock.now().getTime(), {
          before: decodeCursor(before),
          limit,
          unreadOnly: unread === true,
        })
      },
    )

    app.get(
      '/messages/sent',
      {
        schema: {
          tags: ['messages'],
          summary: 'What I sent, with per-recipient read state',
          querystring: ListQuery,
          response: { 200: SentPage },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const { before, limit } = request.query
        return listSent(
          ctx.db,
          signedInUser(request).id,
          ctx.clock.now().getTime(),
          { before: decodeCursor(before), limit },
          { receipts: await receiptsEnabled(ctx.db) },
        )
      },
    )

    app.get(
      '/messages/unread',
      {
        schema: {
          tags: ['messages'],
          summary: 'Unread counts for the Messages button',
          response: { 200: UnreadCount },
        },
        preHandler: requireUser,
      },
      async (request) => unreadCounts(ctx.db, signedInUser(request).id, ctx.clock.now().getTime()),
    )

    app.get(
      '/messages/priority',
      {
        schema: {
          tags: ['messages'],
          summary: 'Unread high-priority messages, shown until closed (S18)',
          response: { 200: PriorityList },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const ids = await unreadPriorityIds(ctx.db, user.id, ctx.clock.now().getTime())
        return { items: await details(user.id, ids) }
      },
    )

    app.get(
      '/messages/:id',
      {
        schema: {
          tags: ['messages'],
          summary: 'One message (404 unless you sent or received it)',
          params: MessageIdParams,
          response: { 200: MessageDetail },
        },
        preHandler: requireUser,
      },
      async (request) => detail(signedInUser(request).id, request.params.id),
    )

    app.post(
      '/messages/:id/read',
      {
        schema: {
          tags: ['messages'],
          summary: 'Mark read (Close, S15)',
          params: MessageIdParams,
          response: { 204: z.null() },
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        const now = ctx.clock.now().getTime()
        const message = await findVisibleMessage(ctx.db, user.id, request.params.id, now)
        if (!message) throw notFound()
        if (await markRead(ctx.db, user.id, request.params.id, now)) {
          await recordAuditEvent(ctx.db, {
            actorId: user.id,
            action: 'message.closed',
            targetId: request.params.id,
            now,
            client: auditClient(request),
          })
          await ctx.events.publish([user.id, ...(message.sender ? [message.sender.id] : [])], {
            type: 'message.read',
            id: request.params.id,
            userId: user.id,
          })
        }
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/messages/:id/receipts',
      {
        schema: {
          tags: ['messages'],
          summary: 'Recipient: report that a client opened the message or saved it to a vault',
          params: MessageIdParams,
          body: RecordReceiptRequest,
          response: { 204: z.null() },
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        const id = request.params.id
        const now = ctx.clock.now().getTime()
        const message = await findVisibleMessage(ctx.db, user.id, id, now)
        if (!message) throw notFound()
        if (
          message.sender &&
          (await receiptsEnabled(ctx.db)) &&
          (await recordReceipt(ctx.db, user.id, id, request.body.event, now))
        ) {
          // Like the receipt itself, recorded once and only while receipts are on.
          await recordAuditEvent(ctx.db, {
            actorId: user.id,
            action: `message.${request.body.event}`,
            targetId: id,
            now,
            client: auditClient(request),
          })
          await ctx.events.publish([message.sender.id], {
            type: 'message.receipt',
            id,
            userId: user.id,
          })
        }
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/messages/:id/receipts',
      {
        schema: {
          tags: ['messages'],
          summary: 'Sender: when each recipient opened, closed, saved, replied to or removed it',
          params: MessageIdParams,
          response: { 200: MessageReceipts },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const id = request.params.id
        const message = await findVisibleMessage(ctx.db, user.id, id, ctx.clock.now().getTime())
        // Receipts are the sender's alone: a recipient gets the same 404 as a stranger.
        if (!message?.isSender) throw notFound()
        const enabled = await receiptsEnabled(ctx.db)
        const states = await recipientStates(ctx.db, [id], { receipts: enabled })
        return { enabled, recipients: states.get(id) ?? [] }
      },
    )

    app.delete(
      '/messages/:id',
      {
        schema: {
          tags: ['messages'],
          summary: 'Recipient: remove from my inbox. Sender: delete for everyone, with its files.',
          params: MessageIdParams,
          response: { 204: z.null() },
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        const id = request.params.id
        const now = ctx.clock.now().getTime()
        const message = await findVisibleMessage(ctx.db, user.id, id, now)
        if (!message) throw notFound()
        const audit = { actorId: user.id, targetId: id, now, client: auditClient(request) }
        // The requester is an answer's only reader: removing it deletes it, with its files.
        if (message.isSender || message.isAnswer) {
          const readers = (await messageReaders(ctx.db, [id])).get(id) ?? []
          await ctx.db.transaction().execute(async (trx) => {
            await deleteMessages(trx, [id])
            await recordAuditEvent(trx, { ...audit, action: 'message.deleted' })
          })
          await ctx.events.publish(readers, { type: 'message.deleted', id })
        } else {
          await ctx.db.transaction().execute(async (trx) => {
            await hideFromInbox(trx, user.id, id, now)
            await recordAuditEvent(trx, { ...audit, action: 'message.removed' })
          })
          await ctx.events.publish([user.id], { type: 'message.deleted', id })
        }
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/messages/:id/attachments/:blobId/chunks/:index',
      {
        schema: {
          tags: ['messages'],
          summary:
            'Sealed chunks of an attachment from :index on, `count` of them (1–16, default 1), each as a big-endian u32 length and its bytes (application/octet-stream)',
          params: MessageChunkParams,
          querystring: ChunkRangeQuery,
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        const { id, blobId, index } = request.params
        const { count } = request.query
        const message = await findVisibleMessage(ctx.db, user.id, id, ctx.clock.now().getTime())
        if (!message) throw notFound()
        const chunks = await findChunks(ctx.db, id, blobId, index, count)
        // All of the range or nothing: a short answer would look like a server dropping chunks.
        if (chunks.length !== count) throw notFound()
        return reply
          .header('content-type', 'application/octet-stream')
          .header('cache-control', 'private, no-store')
          .send(Buffer.from(frameChunks(chunks.map((chunk) => chunk.bytes))))
      },
    )
  }
}
