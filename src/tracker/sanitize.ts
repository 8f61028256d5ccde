// Client-side property hygiene (§3.3, §3.10): bounded sizes, no cycles, no email-like keys, no secrets in errors.

/** Plain JSON copy of `v`: strings ≤ 4096 chars, ≤ 100 keys, ≤ 50 items, ≤ 8 levels ("[MaxDepth]" below),
 *  cycles → "[Circular]", functions/symbols/bigints dropped, keys containing "email" removed.
 *  `undefined` means "drop this value". */
export function clean(v: any, depth = 0, stack: object[] = []): any {
  const t = typeof v;
  if (t == 'string') return v.slice(0, 4096);
  if (t == 'object' && v) {
    if (stack.includes(v)) return '[Circular]';
    if (depth > 7) return '[MaxDepth]';
    const arr = Array.isArray(v);
    const out: any = arr ? [] : {};
    let n = 0;
    stack.push(v);
    for (const k in arr ? v.slice(0, 50) : v) {
      const c = /email/i.test(k) ? undefined : clean(v[k], depth + 1, stack);
      if (c !== undefined && n++ < 100) arr ? out.push(c) : (out[k] = c);
    }
    stack.pop();
    return out;
  }
  // Numbers, booleans and null pass; undefined, functions, symbols and bigints are dropped.
  return t == 'number' || t == 'boolean' || v === null ? v : undefined;
}

/** Error text without personal data (≤ 500 chars): URLs cut to origin + path; emails and long ids
 *  (16+ word characters with a digit: UUIDs, tokens, keys, hashes) replaced by "[redacted]". */
export const redact = (m: string): string =>
  m.replace(/(https?:\/\/[^\s?#]*)[?#]\S*/g, '$1').replace(/\S+@\S+\.\w+|\b(?=[\w-]*\d)[\w-]{16,}/g, '[redacted]').slice(0, 500);
