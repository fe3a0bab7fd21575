import { enAdmin } from './en-admin'
import { enApp } from './en-app'
import { enStart } from './en-start'

/**
 * English, the source language. Other languages copy this shape. Pages get it in parts (issue
 * 15): `enStart` with the first page, `enApp` with the pages loaded by route, `enAdmin` with the
 * administration pages.
 */
export const en = { ...enStart, ...enApp, ...enAdmin }
