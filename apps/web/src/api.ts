import { createApiClient } from '@sealpost/core'

/** The one API client of this page; same origin, so the browser keeps the session cookie. */
export const api = createApiClient({ baseUrl: '' })
