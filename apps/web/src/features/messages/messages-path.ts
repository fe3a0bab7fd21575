export type Box = 'inbox' | 'sent' | 'links'

/**
 * /messages, /messages/sent, /messages/links, /messages/:id, /messages/sent/:id (the part
 * after /messages/). Links open nothing: their content never reaches the server in the clear.
 */
export function parseMessagesPath(rest: string): { box: Box; openId: string | null } {
  const [first = '', second = ''] = rest.split('/')
  if (first === 'sent') return { box: 'sent', openId: second || null }
  if (first === 'links') return { box: 'links', openId: null }
  return { box: 'inbox', openId: first || null }
}

export function listPath(box: Box): string {
  return box === 'inbox' ? '/messages' : `/messages/${box}`
}
