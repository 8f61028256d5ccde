// Scoped storage (§3.4): keys `aa:<scope>:<name>`. Web Storage is used through plain property access, so a
// plain object stands in for it (in memory) when the browser blocks storage.

type Area = Record<string, string | undefined>;
let local: Area;
let session: Area;
let prefix: string;

try {
  local = localStorage as unknown as Area;
  session = sessionStorage as unknown as Area;
} catch {
  local = {};
  session = {};
}

/** Scope every later key by the token, else the project name, else "default". */
export const scope = (name: string): unknown => (prefix = 'aa:' + encodeURIComponent(name) + ':');

/** Read `name` (no `value` given), write it, or remove it (`value` null); localStorage when `persistent` is
 *  truthy, else sessionStorage. Writes return the value (Web Storage keeps it as a string). */
export function store(persistent: unknown, name: string, value?: unknown): any {
  const area = persistent ? local : session;
  name = prefix + name;
  return value === undefined ? area[name] : value === null ? delete area[name] : (area[name] = value as string);
}
