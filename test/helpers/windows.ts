// Rate limits count in fixed windows aligned to the clock (store/counters): a test that fills a window must not
// straddle its end, or the count restarts half-way and the expected 429 never comes.

/** Wait, when needed, until at least `needMs` remain before the current `windowSec` window ends. */
export async function roomInWindow(needMs = 5000, windowSec = 60): Promise<void> {
  const windowMs = windowSec * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}
