// `npm run mutate -- links`: see scopes.mjs.
import { scopeConfig } from './scopes.mjs'

export default scopeConfig('links')
