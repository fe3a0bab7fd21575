import {
  answerToSave,
  ApiError,
  buildCopy,
  saveMessageToVault,
  SUBJECT_MAX,
  type OpenVault,
} from '@sealpost/core'
import type { Command } from 'commander'
import { unlockAccountKeys, withContext, type Context } from '../context.js'
import { checkExpiryLimit } from '../expiry.js'
import { checkFileSizes } from '../files.js'
import { CommandError, printResult, terminalSafe, UsageError } from '../output.js'
import { collect } from '../validate.js'
import {
  childrenOf,
  describePath,
  formatVaultPath,
  parseVaultPath,
  pathOf,
  resolvePath,
} from '../vault-path.js'
import {
  findVault,
  loadVaultTree,
  openAllVaults,
  openNamedVault,
  requireWritable,
  USER_VAULT_NAME,
} from '../vaults.js'
import {
  addBodyOptions,
  addExpiryOptions,
  checkSubject,
  openOrRefuse,
  parseExpiry,
  parseMessageId,
  parseRecipients,
  readBody,
  resolveRecipients,
  send,
  type BodyOptions,
  type ExpiryOptions,
} from './messages.js'

type SendCopyOptions = BodyOptions &
  ExpiryOptions & {
    to?: string[]
    subject: string
    highPriority?: boolean
    vault?: string
  }
type SaveOptions = { to?: string }

/** `send-copy` (S7–S9) and `save` (S16, S17): vault content through a message and back. */
export function registerVaultCopyCommands(program: Command): void {
  const sendCopy = program
    .command('send-copy')
    .description(
      'send a copy of a vault folder or entry, with everything below it and its files, ' +
        'as an end-to-end encrypted message (never its history); prints the message id',
    )
    .argument('<path>', 'the folder or entry, e.g. Servers/web')
    .option(
      '--to <recipients>',
      'usernames or group:NAME (each active member of the group), comma-separated (repeatable)',
      collect,
    )
    .requiredOption('--subject <subject>', `the subject (1–${SUBJECT_MAX} characters)`)
  addExpiryOptions(addBodyOptions(sendCopy))
    .option('--high-priority', 'recipients see it at once, at every sign-in until they close it')
    .option('--vault <name>', `a shared vault, by name (default: your own, "${USER_VAULT_NAME}")`)
    .action((path: string, options: SendCopyOptions, command: Command) =>
      withContext(command, (context) => runSendCopy(context, path, options)),
    )

  program
    .command('save')
    .description(
      'save a message’s files (as documents) and copied items (as the same tree) into a vault; ' +
        'taken names get " (2)", and saving twice makes two copies',
    )
    .argument('<id>', 'the message id (from `sealpost inbox`)')
    .option(
      '--to <vault:folder>',
      `VAULT or VAULT:FOLDER_PATH, e.g. "Ops:Servers/Inbox" (default: the top level of "${USER_VAULT_NAME}")`,
    )
    .action((id: string, options: SaveOptions, command: Command) =>
      withContext(command, (context) => runSave(context, id, options)),
    )
}

// ---------------------------------------------------------------------------------------------
// send-copy

async function runSendCopy(context: Context, pathText: string, options: SendCopyOptions) {
  // Everything that can be checked here is, before a key is unlocked or a byte uploaded.
  const names = parseVaultPath(pathText)
  if (names.length === 0) {
    throw new UsageError('name the folder or entry to send a copy of, e.g. Servers/web')
  }
  const to = parseRecipients(options.to)
  const subject = checkSubject(options.subject)
  const now = new Date()
  const expiry = parseExpiry(options, now)
  const body = await readBody(options)

  const signedIn = await unlockAccountKeys(context)
  // S9: a copy counts as attachments. The server refuses it too; asking first spares decrypting
  // and uploading every file only to be refused.
  if (!signedIn.me.canSendMessages) {
    throw new ApiError(403, 'sending_disabled', 'sending is disabled for this account')
  }
  if (!signedIn.me.canSendAttachments) {
    throw new ApiError(403, 'attachments_disabled', 'attachments are disabled for this account')
  }
  const { recipients, groups, directIds } = await resolveRecipients(context.api, to, signedIn.me.id)
  const vault = await openNamedVault(context.api, signedIn, options.vault)
  const tree = await loadVaultTree(context.api, vault)
  const item = resolvePath(tree, names, vault.name)
  if (!item) throw new UsageError('name a folder or entry, not the top level')
  // Children lists in the tree's order, so the copy lists them as `vault ls` does.
  const ordered = [...tree.children.values()].flat()
  const copy = buildCopy(context.api, vault, ordered, item.id)
  if (copy.files.length > 0 || expiry) {
    const limits = await context.api.messagingLimits()
    const sizes = copy.files.map((file) => ({
      path: `${terminalSafe(file.name)} in ${describePath(names, vault.name)}`,
      size: file.size,
    }))
    checkFileSizes(sizes, limits)
    if (expiry) checkExpiryLimit(expiry.expiresAt, now, limits.maxExpiryDays, expiry.flag)
  }
  const id = await send(context, signedIn, {
    recipients,
    groups,
    directIds,
    subject,
    body,
    expiresAt: expiry?.expiresAt ?? null,
    highPriority: options.highPriority === true,
    replyTo: null,
    files: copy.files,
    tree: copy.tree,
  })
  printResult(context.json, { id, entries: copy.entryCount, files: copy.files.length }, id)
}

// ---------------------------------------------------------------------------------------------
// save

/**
 * `--to Ops:Servers/Inbox` → the vault Ops and the path Servers/Inbox; `--to Ops` is its top
 * level. A vault name may itself contain ":", so each ":" is tried from the left.
 */
function parseDestination(
  text: string,
  vaults: readonly OpenVault[],
): { vault: OpenVault; names: string[] } {
  const isVaultName = (name: string) => vaults.some((vault) => vault.name === name)
  for (let index = text.indexOf(':'); index !== -1; index = text.indexOf(':', index + 1)) {
    const name = text.slice(0, index)
    if (isVaultName(name)) {
      return { vault: findVault(vaults, name), names: parseVaultPath(text.slice(index + 1)) }
    }
  }
  if (isVaultName(text)) return { vault: findVault(vaults, text), names: [] }
  const colon = text.indexOf(':')
  const name = colon === -1 ? text : text.slice(0, colon)
  throw new CommandError(
    `you have no vault named ${terminalSafe(name)}; write --to VAULT or VAULT:FOLDER, ` +
      `e.g. "${USER_VAULT_NAME}:Servers" (\`sealpost vault vaults\` lists yours)`,
    'not_found',
  )
}

async function runSave(context: Context, idArgument: string, options: SaveOptions) {
  const messageId = parseMessageId(idArgument)
  const signedIn = await unlockAccountKeys(context)
  const vaults = await openAllVaults(context.api, signedIn)
  const { vault, names } =
    options.to === undefined
      ? { vault: findVault(vaults, undefined), names: [] }
      : parseDestination(options.to, vaults)
  // S17: read-only vaults are not offered; the server would answer 403 forbidden.
  requireWritable(vault)

  const detail = await context.api.getMessage(messageId)
  // A message whose signature fails is never saved: its content could be anyone's.
  const received = await openOrRefuse(signedIn, messageId, detail, 'saved')
  // An answer from outside is saved as one entry: the request's name, the text and the files.
  const opened = 'request' in received ? answerToSave(received) : received
  if (opened.attachments.length === 0 && (opened.tree ?? []).length === 0) {
    throw new CommandError('this message has no files or copied items to save', 'nothing_to_save')
  }

  const tree = await loadVaultTree(context.api, vault)
  const parent = resolvePath(tree, names, vault.name)
  if (parent?.kind === 'entry') {
    throw new CommandError(
      `${describePath(names, vault.name)} is an entry; save into a folder or a vault's top level`,
      'invalid_input',
    )
  }
  const parentId = parent?.id ?? null
  const siblings = childrenOf(tree, parentId)
  const { created } = await saveMessageToVault(context.api, {
    messageId,
    opened,
    vault,
    parentId,
    siblingNames: new Set(siblings.map((sibling) => sibling.content.name)),
  })

  // Its sender learns that it was saved (a receipt, recorded when the organisation has them on).
  if (detail.sender !== null && detail.recipients === null) {
    await context.api.recordReceipt(messageId, 'saved')
  }

  // What landed at the top, under which names: " (2)" tells the user it was saved before.
  const before = new Set(siblings.map((sibling) => sibling.id))
  const placed = childrenOf(await loadVaultTree(context.api, vault), parentId)
    .filter((item) => !before.has(item.id))
    .map((item) => ({
      id: item.id,
      kind: item.kind,
      type: item.content.type,
      name: item.content.name,
    }))
  const folder = formatVaultPath(pathOf(tree, parent))
  const where = folder === '' ? vault.name : `${vault.name}:${folder}`
  const lines = [
    `Saved ${created} ${created === 1 ? 'item' : 'items'} into ${terminalSafe(where)}`,
    ...placed.map((item) => `  ${terminalSafe(item.name)} (${item.type})`),
  ]
  printResult(
    context.json,
    { messageId, vault: vault.name, path: folder, created, items: placed },
    lines.join('\n'),
  )
}
