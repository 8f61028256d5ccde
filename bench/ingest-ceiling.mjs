// The ceiling for the ingest benchmark: a bare node:http server that reads the body and answers 202,
// i.e. the most any Node server can do on this machine for the same requests. With PARSE=1 it also
// JSON.parses the body (the /track/batch ceiling: a server cannot accept events it has not parsed).
import { createServer } from 'node:http';

const reply = JSON.stringify({ ok: true, queued: true });
const parse = process.env.PARSE === '1';
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => parse && chunks.push(c));
  req.on('end', () => {
    if (parse) JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
    res.end(reply);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
