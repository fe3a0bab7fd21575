import './lib/zod-jitless'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { LinkPage } from './features/messages/links/link-page'
import { RequestPage } from './features/messages/requests/request-page'
import { applyThemePreference, readThemePreference } from './lib/theme'
import './ui/global.css'

/*
 * The public pages' entry (public.html, served for /s/* and /r/*): someone without an account
 * opening a link or answering a request, often on a phone. No router, no session, no OPAQUE;
 * vite.public.config.ts builds it on Preact with a small stand-in for i18next.
 */
applyThemePreference(readThemePreference())
document.documentElement.lang = 'en'
// Each step renders its own <title> (React hoists it into <head>, Preact leaves it in place);
// the document's title is its first <title>, so the static one, there for link previewers
// that run no script, makes way.
document.head.querySelector('title')?.remove()

const root = document.getElementById('root')
if (!root) throw new Error('public.html has no #root element')
createRoot(root).render(
  <StrictMode>
    {window.location.pathname.startsWith('/r/') ? <RequestPage /> : <LinkPage />}
  </StrictMode>,
)
