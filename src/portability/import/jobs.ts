// The import job runner, built once by src/services.ts: jobs live in the meta store (status, progress, the final
// report), their uploaded files in <data>/imports/, and one job runs at a time. A job found queued or running at
// start-up was cut off by a restart: it is marked failed with what it had done and how to resume (run it again:
// ids are deterministic, so stored rows are skipped as duplicates).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { accountLimits } from '../../accounts/accounts.js';
import type { Config } from '../../config.js';
import type { ImportJob, MetaStore, Project } from '../../store/ports.js';
import { ImportFailed, type ImportDeps, type Progress, runImport } from './run.js';
import { openSource, SourceError } from './sources.js';

const PROGRESS_EVERY_MS = 500;

export interface ImportRequest {
  project: Project;
  format: string;
  filename: string | null;
  skipInvalid: boolean;
  sourceProject: string | null;
}

class Stopped extends Error {}

export class ImportJobs {
  /** Where uploads wait for their job. */
  readonly dir: string;
  private queue: string[] = [];
  private running: Promise<void> | null = null;
  private closing = false;

  constructor(private readonly deps: ImportDeps & { meta: MetaStore; config: Config; log: (err: unknown, msg: string) => void }) {
    this.dir = join(deps.config.dataDir, 'imports');
  }

  /** Mark jobs a restart interrupted as failed and remove their leftover files. */
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const now = new Date().toISOString();
    for (const job of await this.deps.meta.importJobsIn(['queued', 'running'])) {
      await this.deps.meta.updateImportJob(job.id, {
        status: 'failed', updated_at: now, finished_at: now,
        error: `interrupted by a server restart after ${job.rows_imported} of the file's events were stored; upload the file again: ids are deterministic, so rows already stored are skipped as duplicates`,
      });
    }
    for (const name of readdirSync(this.dir)) rmSync(join(this.dir, name), { force: true });
  }

  /** A path for a new upload (the caller streams the body there, then calls submit). */
  uploadPath(): { id: string; path: string } {
    const id = `imp_${randomBytes(12).toString('hex')}`;
    return { id, path: join(this.dir, `${id}.upload`) };
  }

  /** Record the job (queued) and start it when the runner is free; the file at `path` now belongs to the job. */
  async submit(id: string, path: string, accountId: string, req: ImportRequest): Promise<ImportJob> {
    const now = new Date().toISOString();
    const job: ImportJob = {
      id, account_id: accountId, project_id: req.project.id, format: req.format, filename: req.filename,
      options: { skip_invalid: req.skipInvalid, source_project: req.sourceProject }, status: 'queued',
      rows_read: 0, rows_imported: 0, rows_skipped: 0, skipped: {}, examples: [], error: null, created_at: now, updated_at: now, finished_at: null,
    };
    await this.deps.meta.createImportJob(job);
    this.queue.push(id);
    this.kick();
    return job;
  }

  /** Resolves when every queued job has finished (tests, the CLI's offline use). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stop: the running job ends at its next batch (marked failed, resumable by re-running); queued ones wait for a restart. */
  async close(): Promise<void> {
    this.closing = true;
    await this.idle();
  }

  private kick(): void {
    if (this.running || this.closing) return;
    const id = this.queue.shift();
    if (!id) return;
    this.running = this.run(id)
      .catch((err) => this.deps.log(err, `import job ${id} failed unexpectedly`))
      .finally(() => {
        this.running = null;
        this.kick();
      });
  }

  private async run(id: string): Promise<void> {
    const { meta } = this.deps;
    const path = join(this.dir, `${id}.upload`);
    const job = (await meta.importJobsIn(['queued'])).find((j) => j.id === id);
    if (!job) return;
    const account = await meta.getAccount(job.account_id);
    const stamp = () => new Date().toISOString();
    await meta.updateImportJob(id, { status: 'running', updated_at: stamp() });
    let last = 0;
    let seen: Progress = { rows_read: 0, rows_imported: 0, rows_skipped: 0, skipped: {}, examples: [] };
    const progress = async (p: Progress) => {
      seen = p;
      if (this.closing) throw new Stopped();
      if (Date.now() - last < PROGRESS_EVERY_MS) return;
      last = Date.now();
      await meta.updateImportJob(id, { ...p, updated_at: stamp() });
    };
    let source;
    try {
      if (!account) throw new ImportFailed('the account no longer exists');
      source = await openSource(job.format, path, { sourceProject: job.options.source_project, now: Date.now() });
      const done = await runImport(this.deps, { job, source, account, limits: accountLimits(this.deps.config, account), progress });
      await meta.updateImportJob(id, { ...done, status: 'done', updated_at: stamp(), finished_at: stamp() });
    } catch (err) {
      const known = err instanceof ImportFailed || err instanceof SourceError;
      const message = err instanceof Stopped
        ? `stopped by a server shutdown after ${seen.rows_imported} events were stored; upload the file again: rows already stored are skipped as duplicates`
        : known ? (err as Error).message : `import failed: ${(err as Error).message}`;
      if (!known && !(err instanceof Stopped)) this.deps.log(err, `import job ${id} failed`);
      await meta.updateImportJob(id, { ...seen, status: 'failed', error: message, updated_at: stamp(), finished_at: stamp() });
    } finally {
      source?.close();
      rmSync(path, { force: true });
    }
  }
}
