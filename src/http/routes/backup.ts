// POST /backup: a consistent copy of the running embedded install (both stores, every account) into a folder on
// the server's machine. The owner key only: a backup holds every account's data (docs/portability.md#backups).
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { OWNER_EMAIL } from '../../accounts/accounts.js';
import type { AppContext } from '../../context.js';
import { backupTo } from '../../portability/backup.js';
import { forbidden } from '../errors.js';
import { deferNullableBodyVerdict, validBody } from '../body.js';
import { callerAccount } from '../project-scope.js';
import { apiKeySecurity, errors } from '../../schemas/common.js';
import { BackupBody, BackupManifest } from '../../schemas/portability.js';

export async function backupRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post('/backup', {
    config: { access: 'apiKey', scope: 'owner' },
    // The body's verdict waits for the owner check (403 first); the schema answers MISSING_FIELDS for dir.
    ...deferNullableBodyVerdict,
    schema: {
      tags: ['portability'], security: apiKeySecurity,
      summary: 'Back up the embedded install (DuckDB + SQLite, online) into a new folder on the server (owner key; beyond the contract)',
      body: BackupBody,
      response: { 200: BackupManifest, ...errors(400, 401, 403, 429) },
    },
  }, async (request) => {
    if (callerAccount(request).email !== OWNER_EMAIL || request.dashboardSession) {
      throw forbidden('a backup holds every account\'s data: only the owner\'s API key (printed at first start, or AA_BOOTSTRAP_API_KEY) may take one');
    }
    return backupTo(ctx.stores, validBody<Static<typeof BackupBody>>(request).dir);
  });
}
