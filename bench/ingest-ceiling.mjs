// The ceiling for the ingest benchmark: a bare node:http server that reads the body and answers 202,
// i.e. the most any Node server can do on this machine for the same requests.
import { createServer } from 'node:http';

const reply = JSON.stringify({ ok: true, queued: true });
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
    res.end(reply);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
