import {
  Id,
  type Webhook,
  type WebhookDelivery,
  WebhookDescription,
  WebhookEvents,
  WebhookUrl,
} from '@sealpost/core'
import type { Command } from 'commander'
import { requireSession, withContext } from '../context.js'
import { formatTable, printResult, terminalSafe } from '../output.js'
import { parseOption } from '../validate.js'

type AddOptions = { events?: string; description?: string }

function webhooksTable(webhooks: Webhook[]): string {
  if (webhooks.length === 0) return 'No webhooks.'
  return formatTable(webhooks, [
    { header: 'id', value: (hook) => hook.id },
    { header: 'url', value: (hook) => terminalSafe(hook.url) },
    { header: 'events', value: (hook) => (hook.events.length === 0 ? '*' : hook.events.join(',')) },
    { header: 'enabled', value: (hook) => (hook.enabled ? 'yes' : 'no') },
    { header: 'description', value: (hook) => terminalSafe(hook.description) },
  ])
}

function deliveriesTable(deliveries: WebhookDelivery[]): string {
  if (deliveries.length === 0) return 'No deliveries.'
  return formatTable(deliveries, [
    { header: 'id', value: (d) => d.id },
    { header: 'type', value: (d) => terminalSafe(d.type) },
    { header: 'status', value: (d) => d.status },
    { header: 'attempts', value: (d) => String(d.attempts) },
    { header: 'code', value: (d) => (d.lastStatusCode === null ? '-' : String(d.lastStatusCode)) },
    { header: 'ms', value: (d) => (d.lastResponseMs === null ? '-' : String(d.lastResponseMs)) },
    { header: 'queued', value: (d) => d.createdAt },
    { header: 'error', value: (d) => terminalSafe(d.lastError ?? '') },
  ])
}

/** `admin webhooks …`: endpoints told of audit events, administrators only. */
export function registerAdminWebhookCommands(program: Command): void {
  const admin = program.commands.find((c) => c.name() === 'admin')
  if (!admin) throw new Error('register the admin commands first')
  const webhooks = admin
    .command('webhooks')
    .description('endpoints told of audit events as they happen (signed, retried for 24 hours)')

  webhooks
    .command('add')
    .description('register an endpoint; prints its signing secret, shown this once')
    .argument('<url>', 'where deliveries go: an http:// or https:// URL')
    .option(
      '--events <types>',
      'comma-separated audit actions (message.sent,link.opened, message.*); all by default',
    )
    .option('--description <text>', 'what the endpoint is for')
    .action((url: string, options: AddOptions, command: Command) =>
      withContext(command, async (context) => {
        const checked = {
          url: parseOption(WebhookUrl, url, 'url'),
          events: parseOption(WebhookEvents, options.events?.split(',') ?? [], '--events'),
          description: parseOption(WebhookDescription, options.description ?? '', '--description'),
        }
        requireSession(context)
        const hook = await context.api.createWebhook(checked)
        printResult(
          context.json,
          { id: hook.id, secret: hook.secret },
          `Added the webhook ${hook.id} for ${terminalSafe(hook.url)}.\n` +
            `Signing secret (shown only now): ${hook.secret}`,
        )
      }),
    )

  webhooks
    .command('ls')
    .description('every endpoint (never its secret)')
    .action((_options: object, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const list = await context.api.listWebhooks()
        printResult(context.json, list, webhooksTable(list.webhooks))
      }),
    )

  webhooks
    .command('rm')
    .description('delete an endpoint and its deliveries')
    .argument('<id>', 'the webhook’s id (see ls)')
    .action((id: string, _options: object, command: Command) =>
      withContext(command, async (context) => {
        const webhookId = parseOption(Id, id, 'id')
        requireSession(context)
        await context.api.deleteWebhook(webhookId)
        printResult(context.json, { deleted: webhookId }, `Deleted the webhook ${webhookId}.`)
      }),
    )

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    webhooks
      .command(name)
      .description(
        enabled ? 'send events to an endpoint again' : 'stop sending events to an endpoint',
      )
      .argument('<id>', 'the webhook’s id')
      .action((id: string, _options: object, command: Command) =>
        withContext(command, async (context) => {
          const webhookId = parseOption(Id, id, 'id')
          requireSession(context)
          const hook = await context.api.updateWebhook(webhookId, { enabled })
          printResult(
            context.json,
            hook,
            `${enabled ? 'Enabled' : 'Disabled'} the webhook ${hook.id}.`,
          )
        }),
      )
  }

  webhooks
    .command('deliveries')
    .description('an endpoint’s deliveries, newest first, with their last attempt')
    .argument('<id>', 'the webhook’s id')
    .action((id: string, _options: object, command: Command) =>
      withContext(command, async (context) => {
        const webhookId = parseOption(Id, id, 'id')
        requireSession(context)
        const list = await context.api.webhookDeliveries(webhookId)
        printResult(context.json, list, deliveriesTable(list.deliveries))
      }),
    )

  webhooks
    .command('test')
    .description('queue a webhook.test event to this endpoint only')
    .argument('<id>', 'the webhook’s id')
    .action((id: string, _options: object, command: Command) =>
      withContext(command, async (context) => {
        const webhookId = parseOption(Id, id, 'id')
        requireSession(context)
        const delivery = await context.api.testWebhook(webhookId)
        printResult(context.json, delivery, `Queued the test event ${delivery.id}.`)
      }),
    )

  webhooks
    .command('redeliver')
    .description('send a delivery again (same webhook-id), retrying for another 24 hours')
    .argument('<id>', 'the webhook’s id')
    .argument('<delivery-id>', 'the delivery’s id (see deliveries)')
    .action((id: string, deliveryId: string, _options: object, command: Command) =>
      withContext(command, async (context) => {
        const webhookId = parseOption(Id, id, 'id')
        const checked = parseOption(Id, deliveryId, 'delivery-id')
        requireSession(context)
        const delivery = await context.api.redeliverWebhook(webhookId, checked)
        printResult(context.json, delivery, `Queued the delivery ${delivery.id} again.`)
      }),
    )
}
