export type Box = 'inbox' | 'sent'

/** /messages, /messages/sent, /messages/:id, /messages/sent/:id (the part after /messages/). */
export function parseMessagesPath(rest: string): { box: Box; openId: string | null } {
  const [first = '', second = ''] = rest.split('/')
  if (first === 'sent') return { box: 'sent', openId: second || null }
  return { box: 'inbox', openId: first || null }
}

export function listPath(box: Box): string {
  return box === 'sent' ? '/messages/sent' : '/messages'
}
