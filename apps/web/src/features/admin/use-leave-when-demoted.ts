import { ApiError } from '@sealpost/core'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { sessionKey } from '../../lib/session/use-session'

/**
 * Demoted in another tab: once an administration query answers admin_only, the session learns
 * it and the page turns into "not allowed", rather than an error with a Retry that cannot work.
 */
export function useLeaveWhenDemoted(error: Error | null) {
  const queryClient = useQueryClient()
  const isAdminOnly = error instanceof ApiError && error.code === 'admin_only'
  useEffect(() => {
    if (isAdminOnly) void queryClient.invalidateQueries({ queryKey: sessionKey })
  }, [isAdminOnly, queryClient])
}
