// Child-process entry for the crash test: the real server (src/main.ts), configured by the environment.
import { startServer } from '../../src/main.js';

await startServer();
process.send?.('listening');
