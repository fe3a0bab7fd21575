import {
  type ErrorBody,
  type ErrorCode,
  errorCodes,
  type LinkPassphraseParams,
} from '@sealpost/core'
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'

/** The one server error: a code from core's map, which also fixes the HTTP status. */
export class AppError extends Error {
  readonly code: ErrorCode
  /** Seconds, sent as Retry-After with 429. */
  readonly retryAfter: number | undefined
  /** With `wrong_passphrase`: sent in the body as `triesLeft`. */
  readonly triesLeft: number | undefined
  /** With `passphrase_needed`: sent in the body as `passphrase` (salt and Argon2id parameters). */
  readonly passphrase: LinkPassphraseParams | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options?: { retryAfter?: number; triesLeft?: number; passphrase?: LinkPassphraseParams },
  ) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.retryAfter = options?.retryAfter
    this.triesLeft = options?.triesLeft
    this.passphrase = options?.passphrase
  }

  get status(): number {
    return errorCodes[this.code]
  }
}

/**
 * Runs a parser of client-supplied protocol bytes (OPAQUE messages): garbage is the
 * client's mistake, so it answers 400 and logs at debug, never a 500 with a stack trace.
 */
export function parseClientMessage<T>(log: FastifyBaseLogger, what: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    log.debug({ err: error }, `malformed ${what}`)
    throw new AppError('invalid_input', `malformed ${what}`)
  }
}

function body(
  code: string,
  message: string,
  extra: { triesLeft?: number | undefined; passphrase?: LinkPassphraseParams | undefined } = {},
): ErrorBody {
  const error: ErrorBody['error'] = { code, message }
  if (extra.triesLeft !== undefined) error.triesLeft = extra.triesLeft
  if (extra.passphrase !== undefined) error.passphrase = extra.passphrase
  return { error }
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.retryAfter !== undefined) void reply.header('retry-after', String(error.retryAfter))
      return reply.status(error.status).send(body(error.code, error.message, error))
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const detail = error.validation
        .map((v) => {
          const where = v.instancePath.replace(/^\//, '').replace(/\//g, '.')
          return where ? `${where}: ${v.message ?? 'invalid'}` : (v.message ?? 'invalid')
        })
        .join('; ')
      return reply.status(400).send(body('invalid_input', detail || 'invalid input'))
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(body('payload_too_large', 'request body is too large'))
    }
    if (error.statusCode === 429) {
      return reply.status(429).send(body('rate_limited', error.message))
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(body('invalid_input', error.message))
    }
    request.log.error({ err: error }, 'unhandled error')
    return reply.status(500).send(body('internal', 'something went wrong on the server'))
  })
}
