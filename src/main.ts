// Process entry: config -> stores -> bootstrap -> buildApp -> listen; SIGTERM/SIGINT drain and close.
import { bootstrapOwner } from './accounts/accounts.js';
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { closeStores, createStores } from './stores.js';

export async function startServer(config: Config = loadConfig()) {
  const stores = await createStores(config);
  const { account, createdKey } = await bootstrapOwner(config, stores.meta);
  const app = await buildApp({ config, stores });
  if (createdKey) {
    // Printed once, on the first start of an empty data folder (P4); only its hash is stored.
    process.stdout.write(
      `\n  Owner account created (${account.id}). Your API key, shown only this once:\n\n    ${createdKey}\n\n` +
      '  Keep it safe. Set AA_BOOTSTRAP_API_KEY to choose the key yourself.\n\n',
    );
  }
  await app.listen({ port: config.port, host: config.host });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests and pending writes');
    try {
      await app.close();
      await closeStores(stores);
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return app;
}

export async function runServe(): Promise<void> {
  try {
    await startServer();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
