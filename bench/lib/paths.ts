import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)))
export const root = dirname(benchDir)
export const resultsDir = join(benchDir, 'results')
