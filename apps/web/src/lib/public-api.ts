import { createPublicApiClient } from '@sealpost/core'

/**
 * For the public link and request pages (S21): a visitor without an account. It never carries
 * a session's CSRF token, so a link opens the same way whether or not someone is signed in, and
 * it holds only the public routes, so those pages bundle none of the app's contracts.
 */
export const publicApi = createPublicApiClient({ baseUrl: '' })
