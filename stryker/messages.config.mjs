// `npm run mutate -- messages`: see scopes.mjs.
import { scopeConfig } from './scopes.mjs'

export default scopeConfig('messages')
