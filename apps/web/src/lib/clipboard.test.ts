import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CLEAR_AFTER_MS, copyWithClear } from './clipboard'

type Fake = { text: string; readable: boolean; writable: boolean }

function fakeBrowser(state: Fake) {
  const focusListeners: Array<() => void> = []
  const readText = vi.fn(async () => state.text)
  vi.stubGlobal('navigator', {
    clipboard: {
      writeText: vi.fn(async (text: string) => {
        if (!state.writable) throw new Error('document is not focused')
        state.text = text
      }),
      readText,
    },
    permissions: {
      query: vi.fn(async () => ({ state: state.readable ? 'granted' : 'prompt' })),
    },
  })
  vi.stubGlobal('window', {
    addEventListener: (_type: string, listener: () => void) => focusListeners.push(listener),
  })
  return { readText, focus: () => focusListeners.splice(0).forEach((listener) => listener()) }
}

describe('copyWithClear', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('clears the secret after 30 seconds', async () => {
    const state = { text: '', readable: true, writable: true }
    fakeBrowser(state)
    await copyWithClear('s3cret')
    expect(state.text).toBe('s3cret')
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS - 1)
    expect(state.text).toBe('s3cret')
    await vi.advanceTimersByTimeAsync(1)
    expect(state.text).toBe('')
  })

  it('leaves what the user copied since then', async () => {
    const state = { text: '', readable: true, writable: true }
    fakeBrowser(state)
    await copyWithClear('s3cret')
    state.text = 'something else'
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS)
    expect(state.text).toBe('something else')
  })

  it('clears without reading where reading would ask the user', async () => {
    const state = { text: '', readable: false, writable: true }
    const browser = fakeBrowser(state)
    await copyWithClear('s3cret')
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS)
    expect(state.text).toBe('')
    expect(browser.readText).not.toHaveBeenCalled()
  })

  it('clears when the page has focus again if it had none at the time', async () => {
    const state = { text: '', readable: true, writable: true }
    const browser = fakeBrowser(state)
    await copyWithClear('s3cret')
    state.writable = false
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS)
    expect(state.text).toBe('s3cret')
    state.writable = true
    browser.focus()
    await vi.advanceTimersByTimeAsync(0)
    expect(state.text).toBe('')
  })

  it('restarts the countdown when something newer is copied', async () => {
    const state = { text: '', readable: true, writable: true }
    fakeBrowser(state)
    await copyWithClear('first')
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS - 1000)
    await copyWithClear('second')
    await vi.advanceTimersByTimeAsync(1000)
    expect(state.text).toBe('second')
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS)
    expect(state.text).toBe('')
  })
})
