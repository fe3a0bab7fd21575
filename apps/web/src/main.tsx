import './lib/zod-jitless'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import { applyThemePreference, readThemePreference } from './lib/theme'
import { initI18n } from './i18n'
import './ui/global.css'

applyThemePreference(readThemePreference())
// Not a top-level await: one in the module graph turns off the bundler's merging of chunks, and
// the first page then arrived as 30-odd small files (issue 15).
void initI18n().then(() => {
  const root = document.getElementById('root')
  if (!root) throw new Error('index.html has no #root element')
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
})
