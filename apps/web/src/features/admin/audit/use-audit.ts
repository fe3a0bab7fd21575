import type { AuditQuery } from '@sealpost/core'
import { useInfiniteQuery, useMutation } from '@tanstack/react-query'
import { api } from '../../../api'

export type AuditFilters = Pick<AuditQuery, 'actor' | 'action' | 'since'>

const PAGE = 100

/** The audit log, newest first, a page of 100 at a time (keyset: `before` a sequence number). */
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      api.listAudit({ ...filters, limit: PAGE, ...(pageParam ? { before: pageParam } : {}) }),
    initialPageParam: 0,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  })
}

/** Walks the hash chain on the server and names the first event that does not fit. */
export function useVerifyAudit() {
  return useMutation({ mutationFn: () => api.verifyAudit() })
}

/** The export URL: the browser streams it straight to a file, with the same filters. */
export function exportUrl(filters: AuditFilters, format: 'ndjson' | 'csv'): string {
  const params = new URLSearchParams({ format })
  for (const [key, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value !== '') params.set(key, value)
  }
  return `/api/admin/audit/export?${params.toString()}`
}
