// sdk2.mjs: an MCP server on the official TypeScript SDK v2
// (@modelcontextprotocol/server + /node), speaking 2026-07-28 and, unless
// told to reject it, the stateless legacy fallback; on 127.0.0.1.
// usage: node sdk2.mjs PORT auto|sse|json stateless|reject
// GET /stats: what reached the server.
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod';
import { define, serve } from './tools.mjs';

const [port, responseMode, legacy] = process.argv.slice(2);

const handler = createMcpHandler(() => {
  const s = new McpServer({ name: 'interop-sdk2', version: '2.4.0' }, { capabilities: { logging: {} } });
  define(s, z, (shape) => z.object(shape));
  return s;
}, { responseMode, legacy });
const node = toNodeHandler(handler);

serve(port, node);
