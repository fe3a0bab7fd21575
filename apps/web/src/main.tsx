import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import { applyThemePreference, readThemePreference } from './lib/theme'
import { initI18n } from './i18n'
import './ui/global.css'

applyThemePreference(readThemePreference())
await initI18n()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
