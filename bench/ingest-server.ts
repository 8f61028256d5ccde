// Child-process entry for the ingest benchmark: the real server (src/main.ts), configured by the environment.
import { startServer } from '../src/main.js';

await startServer();
process.send?.('listening');
