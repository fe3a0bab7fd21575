import {
  AccountKeys,
  type AnswerEnvelope,
  type HpkeBox,
  type RequestSummary,
  SealedEnvelope,
} from '@sealpost/core'
import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { effectivePolicy } from '../policies/queries.js'
import type { RequestsTable } from '../../db/schema.js'
import { commitStagedBlob } from '../uploads/queries.js'
import { parseJson } from '../../db/json.js'

export async function insertRequest(
  db: Db,
  request: Omit<RequestsTable, 'answers'>,
): Promise<void> {
  await db
    .insertInto('requests')
    .values({ ...request, answers: 0 })
    .execute()
}

/** Any request with this id, whoever owns it and whatever its state: for ownership checks. */
export async function findRequest(db: Db, id: string) {
  return db
    .selectFrom('requests')
    .select(['id', 'owner_id', 'owner_copy', 'expires_at'])
    .where('id', '=', id)
    .executeTakeFirst()
}

function summaryOf(row: {
  id: string
  created_at: number
  expires_at: number
  max_answers: number
  answers: number
  allow_files: number
  owner_copy: string
}): RequestSummary {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    maxAnswers: row.max_answers,
    answers: row.answers,
    allowFiles: row.allow_files === 1,
    owner: parseJson(SealedEnvelope, row.owner_copy),
  }
}

const summaryColumns = [
  'id',
  'created_at',
  'expires_at',
  'max_answers',
  'answers',
  'allow_files',
  'owner_copy',
] as const

/** The owner's requests that have not expired (answered in full or not), newest first. */
export async function listOwnRequests(
  db: Db,
  ownerId: string,
  now: number,
): Promise<RequestSummary[]> {
  const rows = await db
    .selectFrom('requests')
    .select(summaryColumns)
    .where('owner_id', '=', ownerId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute()
  return rows.map(summaryOf)
}

/** One of the owner's requests that has not expired; undefined for anyone else's. */
export async function findOwnRequest(
  db: Db,
  ownerId: string,
  id: string,
  now: number,
): Promise<RequestSummary | undefined> {
  const row = await db
    .selectFrom('requests')
    .select(summaryColumns)
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row && summaryOf(row)
}

/**
 * A request that can still be answered: not expired, not answered in full, and its requester
 * active and still allowed to request secrets. With the requester's public key and name.
 */
export async function findOpenRequest(db: Db, id: string, now: number) {
  const row = await db
    .selectFrom('requests')
    .innerJoin('users', 'users.id', 'requests.owner_id')
    .select([
      'requests.id',
      'requests.owner_id as ownerId',
      'requests.access_verifier as accessVerifier',
      'requests.note',
      'requests.owner_copy as ownerCopy',
      'requests.allow_files as allowFiles',
      'requests.max_answers as maxAnswers',
      'requests.answers',
      'requests.expires_at as expiresAt',
      'users.account_keys as accountKeys',
      'users.display_name as displayName',
    ])
    .where('requests.id', '=', id)
    .where('requests.expires_at', '>', now)
    .where('users.status', '=', 'active')
    .executeTakeFirst()
  if (!row || row.answers >= row.maxAnswers || !row.accountKeys) return undefined
  if (!(await effectivePolicy(db, row.ownerId)).canRequestSecrets.value) return undefined
  const keys = parseJson(AccountKeys, row.accountKeys)
  return {
    id: row.id,
    ownerId: row.ownerId,
    accessVerifier: row.accessVerifier,
    note: parseJson(SealedEnvelope, row.note),
    ownerCopy: parseJson(SealedEnvelope, row.ownerCopy),
    allowFiles: row.allowFiles === 1,
    answersLeft: row.maxAnswers - row.answers,
    expiresAt: row.expiresAt,
    x25519PublicKey: keys.x25519PublicKey,
    displayName: row.displayName,
  }
}
export type OpenRequest = NonNullable<Awaited<ReturnType<typeof findOpenRequest>>>

/**
 * Counts one answer if the request can take one, in one statement, so concurrent answers can
 * never both take the last place. False when it could not.
 */
export async function countAnswer(trx: Db, id: string, now: number): Promise<boolean> {
  const row = await trx
    .updateTable('requests')
    .set((eb) => ({ answers: eb('answers', '+', 1) }))
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .whereRef('answers', '<', 'max_answers')
    .returning('answers')
    .executeTakeFirst()
  return row !== undefined
}

/** An answer already stored under this message id, for a retried commit. */
export async function findAnswer(db: Db, answerId: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'request_id', 'envelope'])
    .where('id', '=', answerId)
    .executeTakeFirst()
}

/**
 * Stores an answer as a message in its requester's inbox, with the requester's key box and the
 * visitor's staged files. Run in a transaction.
 */
export async function insertAnswer(
  trx: Db,
  answer: { envelope: AnswerEnvelope; key: HpkeBox; sizeBytes: number; now: number },
): Promise<void> {
  const e = answer.envelope
  const sentAt = Date.parse(e.sentAt)
  const expiresAt = Date.parse(e.expiresAt)
  await trx
    .insertInto('messages')
    .values({
      id: e.id,
      sender_id: e.requesterId,
      sent_at: sentAt,
      expires_at: expiresAt,
      high_priority: 0,
      reply_to: null,
      thread_id: e.id,
      attachment_count: e.attachments.length,
      size_bytes: answer.sizeBytes,
      envelope: JSON.stringify(e),
      created_at: answer.now,
      request_id: e.requestId,
    })
    .execute()
  await trx
    .insertInto('message_recipients')
    .values({
      message_id: e.id,
      user_id: e.requesterId,
      in_inbox: 1,
      wrapped_key: JSON.stringify(answer.key),
      sent_at: sentAt,
      expires_at: expiresAt,
      high_priority: 0,
      read_at: null,
      deleted_at: null,
    })
    .execute()
  for (const a of e.attachments) {
    await commitStagedBlob(trx, {
      blobId: a.blobId,
      ownerId: e.requesterId,
      size: a.size,
      chunkCount: a.chunkCount,
      messageId: e.id,
      linkId: null,
      requestId: e.requestId,
      now: answer.now,
    })
  }
}

/** Bytes of the files of answers a requester holds: they count against their quota. */
export async function answerBytesOf(db: Db, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.sum<number | string | null>('size_bytes').as('bytes'))
    .where('sender_id', '=', ownerId)
    .where('request_id', 'is not', null)
    .executeTakeFirstOrThrow()
  return Number(row.bytes ?? 0)
}

/** What visitors have staged: for one request, and for all requests of its owner. */
export async function stagedForRequests(db: Db, ownerId: string, requestId: string) {
  const row = await db
    .selectFrom('staged_chunks')
    .select((eb) => [
      eb.fn.sum<number | string | null>(sql`length(bytes)`).as('ownerBytes'),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when('request_id', '=', requestId)
            .then(sql`length(bytes)`)
            .else(0)
            .end(),
        )
        .as('requestBytes'),
      eb.fn
        .count<number | string>(
          eb.case().when('request_id', '=', requestId).then(eb.ref('blob_id')).end(),
        )
        .distinct()
        .as('requestFiles'),
    ])
    .where('owner_id', '=', ownerId)
    .where('request_id', 'is not', null)
    .executeTakeFirstOrThrow()
  return {
    ownerBytes: Number(row.ownerBytes ?? 0),
    requestBytes: Number(row.requestBytes ?? 0),
    requestFiles: Number(row.requestFiles),
  }
}

/** Closes requests now: deletes them and what visitors staged for them (answers stay). */
export async function deleteRequests(trx: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return
  await trx.deleteFrom('staged_chunks').where('request_id', 'in', ids).execute()
  await trx.deleteFrom('requests').where('id', 'in', ids).execute()
}

export async function expiredRequestIds(trx: Db, now: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('requests')
    .select('id')
    .where('expires_at', '<=', now)
    .limit(5000)
    .execute()
  return rows.map((r) => r.id)
}
