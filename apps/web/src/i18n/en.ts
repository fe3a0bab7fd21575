import { enApp } from './en-app'
import { enStart } from './en-start'

/**
 * English, the source language. Other languages copy this shape. Pages get it in two parts
 * (issue 15): `enStart` with the first page, `enApp` with the pages loaded by route.
 */
export const en = { ...enStart, ...enApp }
