// tracker.js and tracker.src.js as served: bundled once per process from src/tracker/ (build.ts), tracker.js
// also compressed at build time (zopfli gzip, brotli), each with its SHA-256.
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { buildTracker } from './build.js';

export type Encoding = 'br' | 'gzip' | 'identity';

export interface Asset {
  /** The script; `encoded` holds it compressed, one body per content coding. */
  body: string;
  encoded: Record<Exclude<Encoding, 'identity'>, Buffer>;
  /** Hex SHA-256 of the script (of the decoded body, whatever the coding). */
  sha256: string;
}

// One build per process: every buildApp (tests build many) shares it, and the sources never change at run time.
let assets: Promise<TrackerAssets | null> | null = null;

function asset(body: string, encoded?: Asset['encoded']): Asset {
  return {
    body,
    encoded: encoded ?? { br: brotliCompressSync(body), gzip: gzipSync(body, { level: 9 }) },
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

/** The minified and readable tracker, built once per process; null (and logged) when the build fails. */
export function loadTrackerAssets(log: (err: unknown) => void): Promise<TrackerAssets | null> {
  assets ??= buildTracker().then(
    (b) => ({ min: asset(b.minified, { br: b.brotli, gzip: b.gzip }), src: asset(b.source) }),
    (err) => {
      // A broken tracker must not stop the API: the script answers 404 ("asset unavailable", E32) until a fixed restart.
      log(err);
      assets = null;
      return null;
    },
  );
  return assets;
}

export interface TrackerAssets {
  min: Asset;
  src: Asset;
}
