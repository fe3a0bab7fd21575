import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/*
 * The public request page is to be served as a small bundle of its own: it may import React,
 * i18next, core and its own folder, never the signed-in app's UI (React Aria) or OPAQUE.
 */
const PAGE_FILES = ['request-page.tsx', 'request-page-logic.ts']
const ALLOWED = [
  'react',
  'react-i18next',
  '@sealpost/core',
  // The public routes' client alone (createPublicApiClient), shared with the link page.
  '../../../lib/public-api',
  './request-page.module.css',
  './request-page-logic',
]

function importsOf(file: string): string[] {
  const source = readFileSync(new URL(file, import.meta.url), 'utf8')
  return [...source.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((match) => match[1]!)
}

describe('the public request page', () => {
  it('imports nothing but React, i18next, core and its own files', () => {
    for (const file of PAGE_FILES) {
      const imports = importsOf(file)
      expect(imports.length, file).toBeGreaterThan(0)
      expect(
        imports.filter((specifier) => !ALLOWED.includes(specifier)),
        file,
      ).toEqual([])
    }
  })
})
