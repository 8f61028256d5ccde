// Scoped storage (§3.4): keys `aa:<scope>:<name>`, with an in-memory copy when Web Storage is blocked or full.

const memory: Record<string, string> = {};
let prefix = 'aa:default:';

/** Scope every later key by the token, else the project name. */
export function scope(name: string): void {
  prefix = 'aa:' + encodeURIComponent(name) + ':';
}

function store(local: unknown): Storage {
  return local ? localStorage : sessionStorage;
}

/** Read `name` from localStorage (`local` truthy) or sessionStorage. */
export function get(local: unknown, name: string): string | null {
  let v: string | null = null;
  try {
    v = store(local).getItem(prefix + name);
  } catch {}
  return v == null ? memory[prefix + name] || null : v;
}

/** Write `value` (null removes it) and return it. */
export function put(local: unknown, name: string, value: string | null): string | null {
  const k = prefix + name;
  if (value == null) delete memory[k];
  else memory[k] = value;
  try {
    if (value == null) store(local).removeItem(k);
    else store(local).setItem(k, value);
  } catch {}
  return value;
}
