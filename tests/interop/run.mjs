// run.mjs: mcpload against the official MCP servers from npm (make
// test-interop). Starts each server on a free 127.0.0.1 port, runs mcpload
// (handshake, tools/call, resources/read, prompts/get, error classes) and
// compares every count mcpload reports with what the server saw.
// usage: node run.mjs MCPLOAD_BINARY
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.argv[2];
const tmp = mkdtempSync(join(tmpdir(), 'mcpload-interop-'));
let passed = 0, failed = 0;
const children = [];

function check(ok, what, detail = '') {
  if (ok) passed++;
  else { failed++; console.log(`FAIL ${what}${detail ? ': ' + detail : ''}`); }
}
function eq(got, want, what) { check(got === want, what, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`); }

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitPort(port, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((r) => {
      const c = connect(port, '127.0.0.1', () => { c.destroy(); r(true); });
      c.on('error', () => r(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

// Only 127.0.0.1 may hold the port: server-everything binds every interface
// unless loopback.cjs pins it.
function listensOnlyOnLoopback(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const rows = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((f) => {
    try { return readFileSync(f, 'utf8').split('\n').slice(1); } catch { return []; }
  });
  const mine = rows.map((r) => r.trim().split(/\s+/)).filter((c) => c[1] && c[1].endsWith(':' + hex) && c[3] === '0A');
  return mine.length > 0 && mine.every((c) => c[1] === `0100007F:${hex}`);
}

async function start(name, args, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--require', join(here, 'loopback.cjs'), ...args(port)],
    { cwd: here, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  children.push(child);
  const up = await waitPort(port, 20000);
  check(up, `${name}: starts`, err.slice(0, 300));
  check(!up || listensOnlyOnLoopback(port), `${name}: listens on 127.0.0.1 only`);
  return up ? { name, url: `http://127.0.0.1:${port}`, child } : null;
}

async function getJson(url) {
  const r = await fetch(url);
  return r.json();
}

async function seenBy(srv, app) {
  return { http: await getJson(srv.url + '/__interop/stats'), app: app ? await getJson(srv.url + '/stats') : null };
}

const sum = (o) => Object.values(o || {}).reduce((a, b) => a + b, 0);
const delta = (a, b, k) => ((b && b[k]) || 0) - ((a && a[k]) || 0);

let runs = 0;
function mcpload(srv, args) {
  const out = join(tmp, `run${++runs}.json`);
  const r = spawnSync(bin, ['run', 'mcp-call', '--target', srv.url, '-t', '1', '-q', '--json', out, ...args],
    { encoding: 'utf8', timeout: 60000 });
  let json = null;
  try { json = JSON.parse(readFileSync(out, 'utf8')); } catch { /* checked below */ }
  return { rc: r.status, stderr: r.stderr || '', json };
}

// One mcpload run and the checks every run gets: exit code, the label's
// count, and the server's own count of HTTP requests equal to mcpload's.
async function scenario(srv, app, what, args, want) {
  const before = await seenBy(srv, app);
  const r = mcpload(srv, args);
  const after = await seenBy(srv, app);
  const tag = `${srv.name}: ${what}`;
  // a run in which no request succeeded completes, writes its JSON and exits 1
  eq(r.rc, want.rc ?? (want.fails ? 1 : 0), `${tag}: exit status (${r.stderr.trim().split('\n')[0]})`);
  if (want.fails) check(/no request succeeded/.test(r.stderr), `${tag}: says no request succeeded`, r.stderr);
  if (want.rc) {
    check(/^mcpload: .+/.test(r.stderr) && r.stderr.trim().split('\n').length === 1, `${tag}: one-line error`, r.stderr);
    return null;
  }
  if (!r.json) { check(false, `${tag}: JSON written`); return null; }
  const j = r.json, m = j.mcp || {};
  const label = j.labels.find((l) => l.label !== 'mcp session setup');
  if (want.label) eq(label && label.label, want.label, `${tag}: label`);
  if (want.requests !== undefined) eq(label && label.requests, want.requests, `${tag}: requests`);
  if (want.era) eq(m.era, want.era, `${tag}: era`);
  if (want.version) eq(m.protocol_version, want.version, `${tag}: protocol version`);
  if (want.server) eq(m.server_name, want.server, `${tag}: serverInfo.name`);
  if (want.stateless !== undefined) eq(m.stateless, want.stateless, `${tag}: stateless`);
  for (const [k, v] of Object.entries(want.errors || { total: 0 })) eq(j.errors[k], v, `${tag}: errors.${k}`);
  for (const [k, v] of Object.entries(want.codes || {})) eq((m.rpc_error_codes || {})[k], v, `${tag}: JSON-RPC error ${k}`);
  if (want.sse !== undefined) eq(m.sse_responses > 0, want.sse, `${tag}: answered as SSE`);
  if (want.reinitialized !== undefined) eq(m.sessions_reinitialized, want.reinitialized, `${tag}: sessions initialized again`);
  if (want.sessions !== undefined) eq(m.sessions, want.sessions, `${tag}: sessions`);
  if (want.notifications !== undefined) {
    eq(m.notifications, want.notifications, `${tag}: notifications`);
    eq((m.notifications_by_method || {})['notifications/message'] || 0, want.notifications, `${tag}: notifications/message counted by method`);
  }
  // every request mcpload sent, the probe's included, reached the server
  eq(sum(after.http) - sum(before.http), j.requests + (m.probe_requests || 0), `${tag}: HTTP requests the server saw`);
  if (m.era === 'legacy' && !m.stateless) {
    eq(m.sessions_ended, m.sessions - m.sessions_reinitialized, `${tag}: every session not lost ended`);
    eq(delta(before.http, after.http, 'DELETE 200'), m.sessions_ended + 1, `${tag}: DELETEs the server saw (sessions + probe)`);
  }
  if (app && want.method) {
    eq(delta(before.app.methods, after.app.methods, want.method), label.requests, `${tag}: ${want.method} the server saw`);
    if (m.era === 'legacy') {
      eq(delta(before.app.methods, after.app.methods, 'notifications/initialized'), m.sessions, `${tag}: initialized notifications the server saw`);
      eq(delta(before.app.methods, after.app.methods, 'initialize'), m.sessions + 1, `${tag}: initialize requests the server saw (sessions + probe)`);
    }
  }
  if (app && want.handler) {
    const [kind, name, n] = want.handler;
    eq(delta(before.app[kind], after.app[kind], name), n ?? label.requests, `${tag}: ${kind} ${name} handler calls`);
  }
  return j;
}

const reserve = ['--set', 'name=reserve_id_range', '--set', 'args={"artifact_type":"US","count":3}'];
const closed = (users, iters) => ['-c', String(users), '--iterations', String(iters)];

// notes: the notifications/message a tool sends before its result that
// reach mcpload (JSON responses drop them; SDK v2 auto switches to SSE).
async function sdkChecks(srv, era, version, server, stateless, sse, notes) {
  const common = { era, version, server, stateless };
  await scenario(srv, true, 'tools/call', [...reserve, ...closed(4, 25)],
    { ...common, label: 'tools/call reserve_id_range', requests: 100, method: 'tools/call', handler: ['tools', 'reserve_id_range'], sse });
  await scenario(srv, true, 'resources/read', ['--set', 'method=resources/read', '--set', 'name=docs://readme', ...closed(3, 10)],
    { label: 'resources/read docs://readme', requests: 30, method: 'resources/read', handler: ['resources', 'docs://readme'] });
  await scenario(srv, true, 'prompts/get', ['--set', 'method=prompts/get', '--set', 'name=summarize', '--set', 'args={"id":"US-1"}', ...closed(2, 5)],
    { requests: 10, method: 'prompts/get', handler: ['prompts', 'summarize'] });
  await scenario(srv, true, 'tools/list', ['--set', 'method=tools/list', ...closed(2, 5)], { requests: 10, method: 'tools/list' });
  await scenario(srv, true, 'a failing tool is a tool error', ['--set', 'name=fail', ...closed(2, 5)],
    { requests: 10, errors: { tool: 10, total: 10 }, handler: ['tools', 'fail'], fails: true });
  await scenario(srv, true, 'a missing resource is a JSON-RPC error', ['--set', 'method=resources/read', '--set', 'name=docs://nope', ...closed(2, 5)],
    { requests: 10, errors: era === 'modern' ? { total: 10 } : { rpc: 10, total: 10 }, codes: era === 'modern' ? {} : { '-32602': 10 }, fails: true });
  await scenario(srv, true, 'an unknown method', ['--set', 'method=no/such', ...closed(2, 5)],
    { requests: 10, errors: era === 'modern' ? { status_4xx: 10, total: 10 } : { rpc: 10, total: 10 }, codes: { '-32601': 10 }, fails: true });
  await scenario(srv, true, 'notifications before the response', ['--set', 'name=progress', ...closed(2, 5)],
    { requests: 10, handler: ['tools', 'progress'], notifications: notes, sse: notes > 0 });
}

// mcpload init writes a configuration from what the server offers; the
// suite run with it gives NFR-01 and NFR-02 real verdicts over requests
// that all succeeded, and the server saw every tool call the report counts.
async function initSuite(srv, app) {
  const cfg = join(tmp, `${srv.name.replace(/\W+/g, '-')}.toml`);
  const reports = join(tmp, 'reports');
  const tag = `${srv.name}: init + suite --config`;
  const init = spawnSync(bin, ['init', srv.url, '-o', cfg], { encoding: 'utf8', timeout: 60000 });
  eq(init.status, 0, `${tag}: init exit status (${(init.stderr || '').trim().split('\n').pop()})`);
  const before = app ? await seenBy(srv, app) : null;
  const r = spawnSync(bin, ['suite', '--config', cfg, '--smoke', '-q', '--report-dir', reports],
    { encoding: 'utf8', timeout: 180000 });
  const after = app ? await seenBy(srv, app) : null;
  const m = /report: (\S+)/.exec(r.stdout || '');
  check(m, `${tag}: report written`, (r.stderr || '').slice(0, 300));
  if (!m) return;
  const rep = JSON.parse(readFileSync(m[1], 'utf8'));
  check(r.status === 0 || r.status === 1, `${tag}: exit status ${r.status} is a verdict`, r.stderr);
  for (const id of ['NFR-Performance-01', 'NFR-Performance-02']) {
    const n = rep.nfrs.find((x) => x.id === id);
    check(n && ['PASS', 'WARNING', 'FAIL'].includes(n.verdict), `${tag}: ${id} has a real verdict`, n && `${n.verdict} ${n.note || ''}`);
    check(n && n.requests > 0, `${tag}: ${id} judged requests`, n && n.requests);
    eq(n && n.errors.total, 0, `${tag}: ${id} failed requests`);
    check(n && n.criteria[0].judged > 0, `${tag}: ${id} says how many it judged`, n && n.criteria[0].judged);
  }
  if (app) {
    const calls = rep.nfrs.filter((x) => x.labels).flatMap((x) => x.labels)
      .filter((l) => l.label.startsWith('tool ') || l.label.startsWith('reserve')).reduce((a, l) => a + l.requests, 0);
    eq(delta(before.app.methods, after.app.methods, 'tools/call'), calls, `${tag}: tools/call the server saw`);
  }
}

// NFR-03 against an official server: mcpload's count of what a model
// reads from each result equals js-tiktoken's count of the same text as
// the SDK's own client receives it; the tool list is the server's; an
// image is counted apart; each workflow has its figures and a verdict.
async function tokensSuite(srv) {
  const tag = `${srv.name}: NFR-03`;
  const req = createRequire(join(process.cwd(), 'build', 'tok', 'package.json'));
  const { Tiktoken } = req('js-tiktoken/lite');
  const ranks = req('js-tiktoken/ranks/cl100k_base');
  const enc = new Tiktoken(ranks.default || ranks);
  const count = (t) => enc.encode(t).length;
  const { Client } = await import(join(here, 'node_modules/@modelcontextprotocol/sdk/dist/esm/client/index.js'));
  const { StreamableHTTPClientTransport } = await import(join(here, 'node_modules/@modelcontextprotocol/sdk/dist/esm/client/streamableHttp.js'));
  const client = new Client({ name: 'oracle', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${srv.url}/mcp`)));
  const uri = 'demo://resource/static/document/architecture.md';
  const res = await client.readResource({ uri });
  const prompt = await client.getPrompt({ name: 'args-prompt', arguments: { city: 'Oslo' } });
  const echo = await client.callTool({ name: 'echo', arguments: { message: 'hi there' } });
  const tools = (await client.listTools()).tools;
  await client.close();
  const want = {
    [`resources/read ${uri}`]: res.contents.reduce((a, c) => a + count(c.text), 0),
    'prompts/get args-prompt': prompt.messages.reduce((a, m) => a + count(m.content.text), 0),
    'tools/call echo': echo.content.reduce((a, c) => a + count(c.text), 0),
  };
  const dir = join(tmp, 'pre-mcp');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'guide.md'), 'The architecture guide, all of it, every time.\n'.repeat(800));
  writeFileSync(join(dir, 'note.md'), 'hi\n');
  const cfg = join(tmp, 'tokens.toml');
  writeFileSync(cfg, `[nfr03]\nfiles_dir = "pre-mcp"\n` +
    `[[nfr03.workflow]]\nname = "read"\nfiles = ["guide.md"]\n` +
    `call = [{ resource = "${uri}" }, { prompt = "args-prompt", args = '{"city":"Oslo"}' }]\n` +
    `[[nfr03.workflow]]\nname = "tools"\nfiles = ["*.md"]\n` +
    `call = [{ tool = "echo", args = '{"message":"hi there"}' }, { tool = "get-tiny-image" }, ` +
    `{ tool = "get-resource-links", args = '{"count":3}' }]\n`);
  const r = spawnSync(bin, ['suite', '--target', srv.url, '--config', cfg, '--only', 'NFR-03', '-q',
    '--report-dir', join(tmp, 'reports')], { encoding: 'utf8', timeout: 120000 });
  const m = /report: (\S+)/.exec(r.stdout || '');
  check(m, `${tag}: report written`, (r.stderr || '').slice(0, 300));
  if (!m) return;
  const n = JSON.parse(readFileSync(m[1], 'utf8')).nfrs[0];
  eq(n.verdict, 'PASS', `${tag}: verdict (exit ${r.status})`);
  const t = n.tokens;
  eq(t.workflows_failed, 0, `${tag}: no workflow failed`);
  eq(t.tool_list.tools, tools.length, `${tag}: the tool list has the server's tools`);
  const calls = Object.fromEntries(t.workflows.flatMap((w) => w.mcp.calls).map((c) => [c.call, c]));
  for (const [call, tokens] of Object.entries(want))
    eq(calls[call] && calls[call].tokens, tokens, `${tag}: ${call} tokens as js-tiktoken counts the SDK client's text`);
  eq(calls['tools/call get-tiny-image'] && calls['tools/call get-tiny-image'].binary_items, 1, `${tag}: the image counted apart`);
  check(calls['tools/call get-resource-links'] && calls['tools/call get-resource-links'].tokens > 20, `${tag}: resource links counted`);
  eq(t.workflows[1].baseline.files.length, 2, `${tag}: a glob's files`);
}

async function main() {
  const req = createRequire(join(here, 'package.json'));
  const everything = join(dirname(req.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');

  const v1 = [
    ['sdk v1 stateful SSE', 'stateful', 'sse', false, true, 10],
    ['sdk v1 stateful JSON', 'stateful', 'json', false, false, 0],
    ['sdk v1 stateless SSE', 'stateless', 'sse', true, true, 10],
    ['sdk v1 stateless JSON', 'stateless', 'json', true, false, 0],
  ];
  for (const [name, state, media, stateless, sse, notes] of v1) {
    const srv = await start(name, (p) => ['sdk1.mjs', String(p), state, media]);
    if (!srv) continue;
    await sdkChecks(srv, 'legacy', '2025-11-25', 'interop-sdk1', stateless, sse, notes);
    if (state === 'stateful' && media === 'sse') await initSuite(srv, true);
    await scenario(srv, true, '--mcp-version 2025-06-18', [...reserve, ...closed(2, 5), '--mcp-version', '2025-06-18'],
      { requests: 10, version: '2025-06-18', method: 'tools/call' });
    if (!stateless)
      await scenario(srv, true, 'a lost session (404) is initialized again', ['--set', 'name=forget', ...closed(2, 6)],
        { requests: 12, errors: { status_4xx: 6, total: 6 }, reinitialized: 6, handler: ['tools', 'forget', 6] });
    if (!stateless)
      await scenario(srv, true, '--session-churn', [...reserve, ...closed(2, 5), '--session-churn'],
        { requests: 10, sessions: 10, method: 'tools/call' });
    srv.child.kill();
  }

  const v2 = [
    ['sdk v2 auto', 'auto', 'stateless', false, 10],
    ['sdk v2 SSE', 'sse', 'stateless', true, 10],
    ['sdk v2 JSON, modern only', 'json', 'reject', false, 0],
  ];
  for (const [name, mode, legacy, sse, notes] of v2) {
    const srv = await start(name, (p) => ['sdk2.mjs', String(p), mode, legacy]);
    if (!srv) continue;
    await sdkChecks(srv, 'modern', '2026-07-28', 'interop-sdk2', true, sse, notes);
    if (mode === 'auto') await initSuite(srv, true);
    if (legacy === 'stateless')
      await scenario(srv, true, 'legacy fallback (2025-11-25)', [...reserve, ...closed(2, 5), '--mcp-version', '2025-11-25'],
        { requests: 10, era: 'legacy', stateless: true, method: 'tools/call' });
    else
      await scenario(srv, true, 'legacy refused', [...reserve, ...closed(2, 5), '--mcp-version', '2025-11-25'], { rc: 1 });
    srv.child.kill();
  }

  const ev = await start('server-everything', () => [everything, 'streamableHttp']);
  if (ev) {
    const common = { era: 'legacy', version: '2025-11-25', stateless: false, sse: true };
    const j = await scenario(ev, false, 'tools/call echo', ['--set', 'name=echo', '--set', 'args={"message":"hi"}', ...closed(4, 25)],
      { ...common, label: 'tools/call echo', requests: 100 });
    check(j && /everything/.test(j.mcp.server_name), 'server-everything: serverInfo.name', j && j.mcp.server_name);
    await scenario(ev, false, 'tools/call get-sum', ['--set', 'name=get-sum', '--set', 'args={"a":2,"b":3}', ...closed(2, 10)], { ...common, requests: 20 });
    await scenario(ev, false, 'resources/read', ['--set', 'method=resources/read', '--set', 'name=demo://resource/static/document/architecture.md', ...closed(2, 10)],
      { ...common, requests: 20 });
    await scenario(ev, false, 'prompts/get', ['--set', 'method=prompts/get', '--set', 'name=simple-prompt', ...closed(2, 5)], { ...common, requests: 10 });
    await scenario(ev, false, 'ping', ['--set', 'method=ping', ...closed(2, 5)], { ...common, requests: 10 });
    await scenario(ev, false, 'an unknown tool is a tool error', ['--set', 'name=no-such-tool', ...closed(2, 5)],
      { ...common, requests: 10, errors: { tool: 10, total: 10 }, fails: true });
    await initSuite(ev, false);
    await tokensSuite(ev);
    ev.child.kill();
  }
}

try {
  await main();
} catch (e) {
  check(false, 'interop harness', e.stack);
} finally {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
