import { useRef, useState } from 'react'

export type CopyStatus = 'idle' | 'copied' | 'failed'

/**
 * Copy for a read-only field showing a link: where the browser refuses the clipboard, the
 * field's text is selected so the user can copy it by hand.
 */
export function useCopyField(text: string) {
  const inputRef = useRef<HTMLInputElement>(null)
  const [status, setStatus] = useState<CopyStatus>('idle')

  async function copy() {
    try {
      await navigator.clipboard.writeText(text)
      setStatus('copied')
    } catch {
      inputRef.current?.select()
      setStatus('failed')
    }
  }

  return {
    status,
    copy,
    /** For the read-only TextField that shows the text: focusing it selects it all. */
    fieldProps: {
      value: text,
      isReadOnly: true,
      inputRef,
      onFocus: () => inputRef.current?.select(),
    },
  }
}
