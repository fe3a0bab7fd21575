import { buildApp } from './app.js'
import { loadConfig } from './config.js'
import { migrateToLatest, openDatabase, prepareDataDir } from './db/database.js'
import { createLocalEventBus, createPostgresEventBus } from './features/events/bus.js'
import { createMailer } from './features/mail/mailer.js'
import { startSweeper } from './features/sweeper/sweeper.js'
import { startWebhookWorker } from './features/webhooks/delivery.js'
import { loadOpaqueServerSetup } from './opaque-setup.js'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    console.error(`sealpost: ${(error as Error).message}`)
    process.exit(2)
  }
  const warn = (message: string) => console.warn(`sealpost: ${message}`)
  // The OPAQUE secret lives there unless given in the environment, even on PostgreSQL.
  if (!config.opaqueServerSetup) prepareDataDir(config.dataDir, warn)
  const { db, dialect } = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    warn,
  })
  await migrateToLatest(db)
  const opaqueServerSetup = await loadOpaqueServerSetup({
    fromEnv: config.opaqueServerSetup,
    dataDir: config.dataDir,
  })
  const log = { error: (obj: unknown, msg: string) => console.error(msg, obj) }
  const events = config.databaseUrl
    ? await createPostgresEventBus(config.databaseUrl, log)
    : createLocalEventBus()
  const app = await buildApp({
    config,
    db,
    dialect,
    opaqueServerSetup,
    events,
    mailer: config.smtp
      ? createMailer({ smtpUrl: config.smtp.url, from: config.smtp.from })
      : undefined,
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers["x-sealpost-csrf"]', 'res.headers["set-cookie"]'],
    },
  })
  const stopSweeper = startSweeper(app.ctx, app.log)
  const stopWebhooks = startWebhookWorker(app.ctx, app.log)
  const close = async () => {
    stopSweeper()
    await stopWebhooks()
    await app.close()
    await events.close()
    await db.destroy()
    process.exit(0)
  }
  process.once('SIGINT', () => void close())
  process.once('SIGTERM', () => void close())
  // The address actually bound (the host and port as listening), and the URL links are made with.
  const bound = await app.listen({ port: config.port, host: config.host })
  const storage = dialect === 'postgres' ? 'PostgreSQL' : `SQLite in ${config.dataDir}`
  app.log.info(`Sealpost is listening on ${bound}; public URL ${config.publicUrl} (${storage})`)
}

main().catch((error: unknown) => {
  console.error('sealpost: failed to start:', error)
  process.exit(1)
})
