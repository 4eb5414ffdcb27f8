// A tiny demo service: answers every request with its name and the caller identity its sidecar saw.
// With an upstream URL (its sidecar's outbound), it calls that on every request and includes the answer.
// Usage: node examples/demo-app.mjs <service-name> <port> [upstream-url]
import { createServer } from 'node:http';

const [name = 'demo', port = '8080', upstream] = process.argv.slice(2);

async function upstreamAnswer() {
  try {
    const res = await fetch(upstream, { signal: AbortSignal.timeout(5000) });
    return `${upstream} answered ${res.status}: ${(await res.text()).trim()}`;
  } catch (err) {
    return `${upstream} failed: ${err.cause?.message ?? err.message}`;
  }
}

createServer(async (req, res) => {
  const caller = req.headers['x-forwarded-client-cert'] ?? 'none (no mTLS)';
  const called = upstream === undefined ? '' : `  -> ${await upstreamAnswer()}\n`;
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${name}; caller: ${caller}\n${called}`);
}).listen(Number(port), '127.0.0.1', () => console.log(`${name} listening on 127.0.0.1:${port}`));
