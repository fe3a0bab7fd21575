// `npm run mutate -- crypto`: see scopes.mjs.
import { scopeConfig } from './scopes.mjs'

export default scopeConfig('crypto')
