import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type RunningSmtpServer = {
  /** `smtp://127.0.0.1:<port>`, for the server's SEALPOST_SMTP_URL. */
  url: string
  /** Every mail accepted so far, parsed. */
  received: ParsedMail[]
  close: () => Promise<void>
}

/**
 * A real SMTP server in the test process (smtp-server), collecting parsed mail; addresses in
 * `rejectRecipients` are refused at RCPT TO, as a mail server refuses an unknown mailbox.
 */
export async function startSmtpServer(
  options: { rejectRecipients?: string[] } = {},
): Promise<RunningSmtpServer> {
  const received: ParsedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipients?.includes(address.address)) {
        callback(new Error(`mailbox ${address.address} unavailable`))
        return
      }
      callback()
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail)
          callback()
        })
        .catch((error: Error) => callback(error))
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
