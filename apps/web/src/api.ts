import { createApiClient } from '@sealpost/core'

/** The one API client of this page; same origin, so the browser keeps the session cookie. */
export const api = createApiClient({ baseUrl: '' })

/**
 * For the public link page (S21): a visitor without an account. It never carries a
 * session's CSRF token, so a link opens the same way whether or not someone is signed in.
 */
export const publicApi = createApiClient({ baseUrl: '' })
