// `npm run mutate -- http`: see scopes.mjs.
import { scopeConfig } from './scopes.mjs'

export default scopeConfig('http')
