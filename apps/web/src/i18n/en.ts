import { enAdmin } from './en-admin'
import { enApp } from './en-app'
import { enPages } from './en-pages'
import { enStart } from './en-start'

/**
 * English, the source language. Other languages copy this shape. Pages get it in parts (issue
 * 15): `enStart` with the first page, `enApp` with the signed-in frame and the vault page,
 * `enPages` with the other pages and dialogs, `enAdmin` with the administration pages.
 */
export const en = {
  ...enStart,
  ...enApp,
  ...enPages,
  ...enAdmin,
  // The vault's and the messages' words are in two parts: the vault page's and the rest.
  vault: { ...enApp.vault, ...enPages.vault },
  messages: { ...enApp.messages, ...enPages.messages },
}
