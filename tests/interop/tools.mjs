// tools.mjs: the tools, resources and prompts both SDK test servers expose,
// the counters of what reached their handlers (GET /stats), and their HTTP
// loop on 127.0.0.1.
import { createServer } from 'node:http';
export const seen = { methods: {}, tools: {}, resources: {}, prompts: {} };

export function count(body) {
  for (const m of Array.isArray(body) ? body : [body]) {
    if (m && typeof m.method === 'string') seen.methods[m.method] = (seen.methods[m.method] || 0) + 1;
  }
}

let next = 1;

// obj wraps a shape as the SDK at hand wants it (v1: the raw shape; v2: z.object).
export function define(server, z, obj) {
  server.registerTool('reserve_id_range', {
    description: 'reserve count consecutive ids',
    inputSchema: obj({ artifact_type: z.string(), count: z.number().int().min(1).max(1000) }),
    outputSchema: obj({ start: z.number(), end: z.number(), count: z.number() }),
  }, async ({ count }) => {
    seen.tools.reserve_id_range = (seen.tools.reserve_id_range || 0) + 1;
    const r = { start: next, end: next + count - 1, count };
    next += count;
    return { content: [{ type: 'text', text: JSON.stringify(r) }], structuredContent: r };
  });
  server.registerTool('fail', { description: 'always fails', inputSchema: obj({}) }, async () => {
    seen.tools.fail = (seen.tools.fail || 0) + 1;
    throw new Error('this tool always fails');
  });
  server.registerTool('progress', { description: 'logs, then answers', inputSchema: obj({}) },
    async (_args, extra) => {
      seen.tools.progress = (seen.tools.progress || 0) + 1;
      const note = { method: 'notifications/message', params: { level: 'info', data: 'working' } };
      if (extra.sendNotification) await extra.sendNotification(note); // v1
      else await extra.mcpReq.notify(note); // v2
      return { content: [{ type: 'text', text: 'done' }] };
    });
  server.registerResource('readme', 'docs://readme', { mimeType: 'text/markdown' }, async (uri) => {
    seen.resources['docs://readme'] = (seen.resources['docs://readme'] || 0) + 1;
    return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: '# readme\n\nhello\n' }] };
  });
  server.registerPrompt('summarize', { description: 'summarize an artifact', argsSchema: obj({ id: z.string() }) },
    ({ id }) => {
      seen.prompts.summarize = (seen.prompts.summarize || 0) + 1;
      return { messages: [{ role: 'user', content: { type: 'text', text: `Summarize ${id}.` } }] };
    });
}

export async function readBody(req) {
  const parts = [];
  for await (const c of req) parts.push(c);
  const text = Buffer.concat(parts).toString('utf8');
  if (!text) return undefined;
  try { return JSON.parse(text); } catch { return text; }
}

// serve(port, handle): GET /stats, 404 off /mcp, and every JSON-RPC body
// counted by method before handle(req, res, parsedBody) serves it.
export function serve(port, handle) {
  createServer(async (req, res) => {
    try {
      if (req.url === '/stats') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(seen));
      }
      if (!req.url.startsWith('/mcp')) { res.writeHead(404); return res.end(); }
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      if (body) count(body);
      await handle(req, res, body);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  }).listen(Number(port), '127.0.0.1');
}
