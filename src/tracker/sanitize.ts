// Client-side property hygiene (§3.3, §3.10): bounded sizes, no cycles, no email-like keys, no secrets in errors.

/** Copy `v` into plain JSON data: strings ≤ 4096, ≤ 100 keys, ≤ 50 items, depth ≤ 8, cycles and
 *  non-JSON values handled, keys containing "email" removed. `undefined` means "drop this value". */
export function clean(v: unknown, depth = 0, stack: object[] = []): unknown {
  const t = typeof v;
  if (t == 'string') return (v as string).slice(0, 4096);
  if (!v || t != 'object') return t == 'function' || t == 'symbol' || t == 'bigint' ? undefined : v;
  const o = v as Record<string, unknown>;
  if (stack.indexOf(o) >= 0) return '[Circular]';
  if (depth > 7) return '[MaxDepth]';
  stack.push(o);
  const arr = Array.isArray(o);
  const out: Record<string, unknown> | unknown[] = arr ? [] : {};
  let n = 0;
  for (const k of arr ? o.slice(0, 50).map((_, i) => i) : Object.keys(o)) {
    const c = n < 100 && !/email/i.test(k as string) ? clean(o[k as string], depth + 1, stack) : undefined;
    if (c === undefined) continue;
    if (arr) (out as unknown[]).push(c);
    else (out as Record<string, unknown>)[k] = c;
    n++;
  }
  stack.pop();
  return out;
}

/** Error text without personal data: URLs cut to origin + path, then emails, UUIDs, secrets and long ids masked. */
export function redact(m: string): string {
  return m
    .replace(/(https?:\/\/[^\s?#'"]*)[?#][^\s'"]*/g, '$1')
    .replace(/[^\s@'"<>()]+@[^\s@'"<>()]+\.\w+/g, '[email]')
    .replace(/\b[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}\b/gi, '[uuid]')
    .replace(/\b(bearer|token|secret|password|key|auth\w*)(["':= ]+)[^\s"',;&]+/gi, '$1$2[redacted]')
    .replace(/\b(?=[\w-]*\d)[\w-]{16,}/g, '[id]')
    .slice(0, 500);
}
