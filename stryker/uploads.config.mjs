// `npm run mutate -- uploads`: see scopes.mjs.
import { scopeConfig } from './scopes.mjs'

export default scopeConfig('uploads')
