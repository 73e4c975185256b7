// loopback.cjs: preloaded (node --require) into the servers under test. It
// pins every listen() that names no host to 127.0.0.1, since
// server-everything binds all interfaces, and counts what the HTTP server
// saw ("POST 200": n) for GET /__interop/stats, so the test can compare
// mcpload's counts with the server's own.
'use strict';
const net = require('node:net');
const http = require('node:http');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  } else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && !args[0].host) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};

const seen = {};
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event !== 'request') return emit.apply(this, arguments);
  if (req.url === '/__interop/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(seen));
    return true;
  }
  if (req.url === '/stats') return emit.apply(this, arguments); // the test servers' own counters
  res.on('finish', () => {
    const k = `${req.method} ${res.statusCode}`;
    seen[k] = (seen[k] || 0) + 1;
  });
  return emit.apply(this, arguments);
};
