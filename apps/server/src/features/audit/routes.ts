import { Readable } from 'node:stream'
import {
  type AuditDetails,
  type AuditEvent,
  AuditExportQuery,
  AuditPage,
  AuditQuery,
  AuditVerifyResult,
  canonicalJson,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../../app-context.js'
import { requireAdmin } from '../../http/auth.js'
import { listAuditEvents, streamAuditEvents, verifyAuditChain } from './queries.js'

const CSV_COLUMNS = [
  'seq',
  'at',
  'actorId',
  'actorUsername',
  'action',
  'targetId',
  'ip',
  'userAgent',
  'details',
  'prevHash',
  'hash',
] as const satisfies ReadonlyArray<keyof AuditEvent>

/** RFC 4180: quoted when it holds a comma, quote or line break; a leading =+-@ is defused. */
function csvField(value: string | number | AuditDetails | null): string {
  if (value === null) return ''
  let text = typeof value === 'object' ? canonicalJson(value) : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

async function* exportLines(
  events: AsyncGenerator<AuditEvent>,
  format: 'ndjson' | 'csv',
): AsyncGenerator<string> {
  if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`
  for await (const event of events) {
    yield format === 'csv'
      ? `${CSV_COLUMNS.map((column) => csvField(event[column])).join(',')}\r\n`
      : `${JSON.stringify(event)}\n`
  }
}

/** The audit log under /api/admin/audit: administrators only. */
export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/admin/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit events, newest first, filtered by actor, action and time (keyset pages)',
          querystring: AuditQuery,
          response: { 200: AuditPage },
        },
        preHandler: requireAdmin,
      },
      async (request) => listAuditEvents(ctx.db, request.query),
    )

    app.get(
      '/admin/audit/verify',
      {
        schema: {
          tags: ['audit'],
          summary:
            'Walks the hash chain from its start (or retention checkpoint) to its newest event and names the first event that does not fit',
          response: { 200: AuditVerifyResult },
        },
        preHandler: requireAdmin,
      },
      async () => verifyAuditChain(ctx.db),
    )

    app.get(
      '/admin/audit/export',
      {
        schema: {
          tags: ['audit'],
          summary: 'Every matching event, oldest first, streamed as NDJSON or CSV',
          querystring: AuditExportQuery,
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const { format, ...filters } = request.query
        const lines = exportLines(streamAuditEvents(ctx.db, filters), format)
        const day = ctx.clock.now().toISOString().slice(0, 10)
        return reply
          .header(
            'content-type',
            format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
          )
          .header('content-disposition', `attachment; filename="sealpost-audit-${day}.${format}"`)
          .header('cache-control', 'no-store')
          .send(Readable.from(lines))
      },
    )
  }
}
