// Server-side anomaly flags: additive `flags` arrays on the responses they concern, with a next step.
export interface Flag {
  code: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
}

/** Project limit approaching: one slot left or >= 80% used (never for unlimited accounts). */
export function projectLimitFlags(count: number, limit: number): Flag[] {
  if (limit === -1 || limit <= 0) return [];
  if (count >= limit) {
    return [{ code: 'project_limit_reached', severity: 'critical', message: `All ${limit} project slots are used; the next POST /projects will fail with 403. Delete an unused project or upgrade the tier.` }];
  }
  if (limit - count <= 1 || count / limit >= 0.8) {
    return [{ code: 'project_limit_approaching', severity: 'warning', message: `${count} of ${limit} projects used; ${limit - count} slot(s) left before POST /projects fails with 403. Reuse an existing project or upgrade the tier.` }];
  }
  return [];
}
