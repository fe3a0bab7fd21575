import type { UnlockedAccount } from '@sealpost/core'

/*
 * Keeps the signed-in user's unlocked keys across page reloads. The CryptoKeys are
 * non-extractable: IndexedDB stores them by structured clone, and no script can read
 * their bytes back out. Sign-out and an ended session delete them.
 */

const DB_NAME = 'sealpost'
const DB_VERSION = 1
const STORE = 'accounts'

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'))
  })
}

function openDatabase(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, DB_VERSION)
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE)
  }
  return request(open)
}

async function withStore<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDatabase()
  try {
    const tx = db.transaction(STORE, mode)
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'))
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
    })
    const [result] = await Promise.all([request(run(tx.objectStore(STORE))), done])
    return result
  } finally {
    db.close()
  }
}

function isUnlockedAccount(value: unknown): value is UnlockedAccount {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<UnlockedAccount>
  return (
    typeof v.username === 'string' &&
    v.accountKey instanceof CryptoKey &&
    v.signingKey instanceof CryptoKey &&
    v.userVaultKey instanceof CryptoKey &&
    v.encryptionKeyPair?.privateKey instanceof CryptoKey &&
    v.x25519PublicKey instanceof Uint8Array &&
    v.ed25519PublicKey instanceof Uint8Array
  )
}

export async function loadAccount(userId: string): Promise<UnlockedAccount | undefined> {
  const value = await withStore<unknown>('readonly', (store) => store.get(userId))
  return isUnlockedAccount(value) ? value : undefined
}

/** Whether this browser keeps an account's keys (false when IndexedDB cannot be read). */
export async function hasStoredAccount(): Promise<boolean> {
  try {
    return (await withStore('readonly', (store) => store.count())) > 0
  } catch {
    return false
  }
}

/** One account per browser: the session cookie is per browser too. */
export async function saveAccount(userId: string, account: UnlockedAccount): Promise<void> {
  await withStore('readwrite', (store) => {
    store.clear()
    return store.put(account, userId)
  })
}

export async function forgetAccounts(): Promise<void> {
  await withStore('readwrite', (store) => store.clear())
}
