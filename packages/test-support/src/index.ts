// Test support shared by the server's, the CLI's and the browser tests: never shipped, never
// imported by product code. Loaded from source (vitest and Playwright compile it).
export { encodedForms, formsFound } from './encoded-forms.js'
export {
  freePort,
  type ServerProcess,
  type ServerProcessOptions,
  startServerProcess,
} from './server-process.js'
export { type RunningSmtpServer, startSmtpServer } from './smtp.js'
export {
  type ReceivedWebhook,
  startWebhookReceiver,
  verifyWebhook,
  type WebhookReceiver,
} from './webhook-receiver.js'
