// sdk1.mjs: an MCP server on the official TypeScript SDK v1 (legacy era,
// @modelcontextprotocol/sdk) for mcpload's interop test, on 127.0.0.1.
// usage: node sdk1.mjs PORT stateful|stateless sse|json
// GET /stats: what reached the server (JSON-RPC methods, tool, resource and
// prompt handlers) and its live and closed sessions.
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as z from 'zod';
import { seen, define, serve } from './tools.mjs';

const [port, state, media] = process.argv.slice(2);
const stateful = state === 'stateful';
const json = media === 'json';
const sessions = new Map();
seen.sessions_opened = 0;
seen.sessions_closed = 0;

function newServer() {
  const s = new McpServer({ name: 'interop-sdk1', version: '1.32.2' }, { capabilities: { logging: {} } });
  define(s, z, (shape) => shape);
  // the server loses the caller's session: its next request gets 404
  s.registerTool('forget', { description: 'drop my session', inputSchema: {} }, async (_a, extra) => {
    seen.tools.forget = (seen.tools.forget || 0) + 1;
    if (extra.sessionId) sessions.delete(extra.sessionId);
    return { content: [{ type: 'text', text: 'forgotten' }] };
  });
  return s;
}

async function statefulRequest(req, res, body) {
  const sid = req.headers['mcp-session-id'];
  let t = sid ? sessions.get(sid) : undefined;
  if (!t && !sid && req.method === 'POST' && body && body.method === 'initialize') {
    t = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: json,
      onsessioninitialized: (id) => { sessions.set(id, t); seen.sessions_opened++; },
      onsessionclosed: (id) => { sessions.delete(id); seen.sessions_closed++; },
    });
    await newServer().connect(t);
  }
  if (!t) {
    res.writeHead(sid ? 404 : 400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: sid ? 'Session not found' : 'No session' }, id: null }));
    return;
  }
  await t.handleRequest(req, res, body);
}

async function statelessRequest(req, res, body) {
  const server = newServer();
  const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: json });
  res.on('close', () => { t.close(); server.close(); });
  await server.connect(t);
  await t.handleRequest(req, res, body);
}

serve(port, stateful ? statefulRequest : statelessRequest);
