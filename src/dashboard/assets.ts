// The dashboard as served: built once per process at start-up (like tracker.js), answered from memory.
import { buildDashboard, type DashboardBuild } from './build.js';

let assets: Promise<DashboardBuild | null> | null = null;

/** The built dashboard, once per process; null (and logged) when the build fails, so the API still starts. */
export function loadDashboardAssets(log: (err: unknown) => void): Promise<DashboardBuild | null> {
  assets ??= buildDashboard().catch((err) => {
    log(err);
    assets = null;
    return null;
  });
  return assets;
}

export type { BuiltFile, DashboardBuild } from './build.js';
