import { InviteToken } from '@sealpost/core'
import { useQuery } from '@tanstack/react-query'
import { useLocation } from 'react-router'
import { api } from '../../../api'

/** The invite token from the URL fragment (`/invite#<token>`), or undefined if malformed. */
export function useInviteToken(): string | undefined {
  const { hash } = useLocation()
  const parsed = InviteToken.safeParse(hash.replace(/^#/, ''))
  return parsed.success ? parsed.data : undefined
}

export function useInviteLookup(token: string | undefined) {
  return useQuery({
    queryKey: ['invite', token],
    queryFn: () => api.inviteLookup({ token: token ?? '' }),
    enabled: token !== undefined,
    retry: false,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  })
}
