import { config } from 'zod'

// Zod checks whether it may compile parsers with `new Function` by trying it once. Our CSP has
// no 'unsafe-eval', so the try always fails and the browser files a CSP violation for it
// (Lighthouse's inspector-issues); parsing was already the interpreted kind. Imported first by
// each entry, before any schema parses.
config({ jitless: true })
