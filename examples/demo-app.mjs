// A tiny demo service: answers every request with its name and the caller identity its sidecar saw.
// Usage: node examples/demo-app.mjs <service-name> <port>
import { createServer } from 'node:http';

const [name = 'demo', port = '8080'] = process.argv.slice(2);
createServer((req, res) => {
  const caller = req.headers['x-forwarded-client-cert'] ?? 'none (no mTLS)';
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${name}; caller: ${caller}\n`);
}).listen(Number(port), '127.0.0.1', () => console.log(`${name} listening on 127.0.0.1:${port}`));
