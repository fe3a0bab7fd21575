import type { ItemContent } from '@sealpost/core'
import { describe, expect, it } from 'vitest'
import { changedFields } from './changed-fields'

const base: ItemContent = {
  name: 'nginx',
  type: 'credential',
  username: 'root',
  password: 'canary-secret-1',
  url: 'https://web.example',
  fields: [
    { label: 'PIN', value: '1234', hidden: true },
    { label: 'Host', value: 'web1', hidden: false },
  ],
  files: [{ blobId: 'b1', name: 'key.pem', type: 'text/plain', size: 10 }],
}

describe('changedFields', () => {
  it('reports nothing for a creation or an unchanged revision', () => {
    expect(changedFields(null, base)).toEqual([])
    expect(changedFields(base, { ...base })).toEqual([])
  })

  it('names changed fields without their values', () => {
    const changes = changedFields(base, { ...base, password: 'canary-secret-2', notes: 'new' })
    expect(changes).toEqual([{ field: 'password' }, { field: 'notes' }])
    expect(JSON.stringify(changes)).not.toContain('canary')
  })

  it('gives the old and new name of a rename', () => {
    expect(changedFields(base, { ...base, name: 'nginx (old)' })).toEqual([
      { field: 'name', from: 'nginx', to: 'nginx (old)' },
    ])
  })

  it('treats a removed optional field as a change', () => {
    const { url: _url, ...withoutUrl } = base
    expect(changedFields(base, withoutUrl)).toEqual([{ field: 'url' }])
  })

  it('pairs custom fields by label and tells added, changed and removed apart', () => {
    const after: ItemContent = {
      ...base,
      fields: [
        { label: 'PIN', value: '9999', hidden: true },
        { label: 'Port', value: '443', hidden: false },
      ],
    }
    const changes = changedFields(base, after)
    expect(changes).toEqual([
      { field: 'custom', label: 'PIN', change: 'changed' },
      { field: 'custom', label: 'Port', change: 'added' },
      { field: 'custom', label: 'Host', change: 'removed' },
    ])
    expect(JSON.stringify(changes)).not.toContain('9999')
  })

  it('lists added and removed files by name', () => {
    const after: ItemContent = {
      ...base,
      files: [{ blobId: 'b2', name: 'cert.pem', type: 'text/plain', size: 12 }],
    }
    expect(changedFields(base, after)).toEqual([
      { field: 'file', name: 'cert.pem', change: 'added' },
      { field: 'file', name: 'key.pem', change: 'removed' },
    ])
  })
})
