import {
  ApiError,
  CryptoError,
  loadItems,
  openVault,
  type ApiClient,
  type DecryptedItem,
  type OpenVault,
} from '@sealpost/core'
import type { SignedInUser } from './context.js'
import { CommandError, terminalSafe } from './output.js'
import { buildTree, type VaultTree } from './vault-path.js'

/** The user vault's name everywhere: core's default, the web app's label, `--vault`'s default. */
export const USER_VAULT_NAME = 'My vault'

/**
 * Every vault the user can open, with its key unwrapped. A shared vault whose key or name fails
 * to open is left out with a warning on stderr, so one tampered vault does not lock the user
 * out of the others.
 */
export async function openAllVaults(api: ApiClient, signedIn: SignedInUser): Promise<OpenVault[]> {
  const { vaults } = await api.listVaults()
  const opened = await Promise.all(
    vaults.map(async (summary) => {
      try {
        return await openVault(signedIn.account, signedIn.me, summary, USER_VAULT_NAME)
      } catch (error) {
        if (!(error instanceof CryptoError)) throw error
        process.stderr.write(
          `warning: a shared vault could not be opened and is left out (${error.code})\n`,
        )
        return undefined
      }
    }),
  )
  return opened.filter((vault) => vault !== undefined)
}

/** The vault called `name` (exactly), or the user vault when no name is given. */
export function findVault(vaults: readonly OpenVault[], name: string | undefined): OpenVault {
  const matches =
    name === undefined
      ? vaults.filter((vault) => vault.kind === 'user')
      : vaults.filter((vault) => vault.name === name)
  const [vault] = matches
  if (!vault) {
    if (name === undefined) throw new ApiError(404, 'not_found', 'your user vault is missing')
    throw new CommandError(
      `you have no vault named ${terminalSafe(name)}; \`sealpost vault vaults\` lists yours`,
      'not_found',
    )
  }
  if (matches.length > 1) {
    throw new CommandError(
      `${matches.length} of your vaults are named ${terminalSafe(name ?? '')}; ` +
        'rename one in the web app',
      'ambiguous_vault',
    )
  }
  return vault
}

/** Opens one vault: the user vault, or the shared vault `name`. */
export async function openNamedVault(
  api: ApiClient,
  signedIn: SignedInUser,
  name: string | undefined,
): Promise<OpenVault> {
  return findVault(await openAllVaults(api, signedIn), name)
}

/** Refuses early, as the server would (403 forbidden), to change a vault shared read-only. */
export function requireWritable(vault: OpenVault): void {
  if (!vault.canWrite) {
    throw new CommandError(`you can only read the vault ${terminalSafe(vault.name)}`, 'forbidden')
  }
}

/** Every item of `vault`, decrypted and verified, as a tree. */
export async function loadVaultTree(
  api: ApiClient,
  vault: OpenVault,
): Promise<VaultTree<DecryptedItem>> {
  try {
    return buildTree(await loadItems(api, vault))
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error
    // AAD binds every item to its vault and parent: a moved, swapped or altered item lands here.
    throw new CommandError(
      `an item in ${terminalSafe(vault.name)} failed verification; nothing was shown or changed`,
      error.code,
    )
  }
}
