import {
  ApiError,
  type ApiClient,
  CryptoError,
  type MessageSummary,
  type SentToGroup,
  type SubjectCache,
  type UnlockedAccount,
  createSubjectCache,
  openListHeader,
} from '@sealpost/core'

/**
 * A list row with its subject verified and decrypted (null when it did not verify), and the
 * groups it went to with the people chosen besides them, from the same verified header.
 */
export type Row<T extends MessageSummary> = {
  summary: T
  subject: string | null
  groups: SentToGroup[]
  directIds: string[]
}

/*
 * Verified subjects per signed-in account: each message is fetched and verified once, however
 * often the lists refresh. Held by the account object, so sign-out (which drops it) drops them.
 */
const subjectCaches = new WeakMap<UnlockedAccount, SubjectCache>()

function subjectCacheOf(account: UnlockedAccount): SubjectCache {
  let cache = subjectCaches.get(account)
  if (!cache) {
    cache = createSubjectCache()
    subjectCaches.set(account, cache)
  }
  return cache
}

/**
 * Each row's subject, shown only once the sender's signature over the whole message verified
 * (DESIGN.md §3); a row that does not verify still shows, with a placeholder, and opening it
 * explains why. A message deleted since the list was fetched leaves the list.
 */
export async function withSubjects<T extends MessageSummary>(
  client: Pick<ApiClient, 'getMessage'>,
  account: UnlockedAccount,
  userId: string,
  items: T[],
): Promise<Row<T>[]> {
  const cache = subjectCacheOf(account)
  const rows = await Promise.all(
    items.map(async (summary): Promise<Row<T> | null> => {
      try {
        const header = await openListHeader(client, account, userId, summary, cache)
        return { summary, ...header }
      } catch (error) {
        if (error instanceof CryptoError) {
          return { summary, subject: null, groups: [], directIds: [] }
        }
        if (error instanceof ApiError && error.code === 'not_found') return null
        throw error
      }
    }),
  )
  return rows.filter((row) => row !== null)
}
