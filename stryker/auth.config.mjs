// `npm run mutate -- auth`: see scopes.mjs.
import { scopeConfig } from './scopes.mjs'

export default scopeConfig('auth')
