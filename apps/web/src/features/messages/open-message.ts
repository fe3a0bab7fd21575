import {
  type MessageDetail,
  type OpenedAnswerMessage,
  type OpenedMessage,
  type UnlockedAccount,
  isAnswerEnvelope,
  openAnswerDetail,
  openMessageDetail,
} from '@sealpost/core'

/**
 * A fetched message: opened when its signature and every sealed part verified (an answer from
 * outside: when it opened, which proves only that someone holding the request's link sent it),
 * else why not.
 */
export type OpenMessage = {
  detail: MessageDetail
  opened: OpenedMessage | OpenedAnswerMessage | null
  failure: unknown
}

export async function openDetail(
  account: UnlockedAccount,
  userId: string,
  detail: MessageDetail,
): Promise<OpenMessage> {
  try {
    const opened = isAnswerEnvelope(detail.envelope)
      ? await openAnswerDetail(account, userId, detail)
      : await openMessageDetail(account, userId, detail)
    return { detail, opened, failure: null }
  } catch (failure) {
    // Anything that stops verification means the content is not shown (S13, DESIGN.md §3).
    return { detail, opened: null, failure }
  }
}
