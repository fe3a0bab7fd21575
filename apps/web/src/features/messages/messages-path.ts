export type Box = 'inbox' | 'sent' | 'links' | 'requests'

/**
 * /messages, /messages/sent, /messages/links, /messages/requests, /messages/:id,
 * /messages/sent/:id (the part after /messages/). Links and requests open nothing: their
 * content never reaches the server in the clear (answers to requests arrive in the inbox).
 */
export function parseMessagesPath(rest: string): { box: Box; openId: string | null } {
  const [first = '', second = ''] = rest.split('/')
  if (first === 'sent') return { box: 'sent', openId: second || null }
  if (first === 'links') return { box: 'links', openId: null }
  if (first === 'requests') return { box: 'requests', openId: null }
  return { box: 'inbox', openId: first || null }
}

export function listPath(box: Box): string {
  return box === 'inbox' ? '/messages' : `/messages/${box}`
}
