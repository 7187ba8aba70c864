'use strict';
// The HTTP routes beside Socket.IO on the same port: POST /api/events (JSON →
// 204, then broadcast) and GET /health.

function sendJson(res, status, body, extraHeaders = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...extraHeaders });
  res.end(text);
}

// Reads a request body up to `limit` bytes; calls back (error, Buffer).
function readBody(req, limit, callback) {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return callback({ status: 413, message: `body of ${declared} bytes is over the limit of ${limit} bytes` });
  const chunks = [];
  let size = 0;
  let failed = false;
  req.on('data', (chunk) => {
    if (failed) return;
    size += chunk.length;
    if (size > limit) {
      failed = true;
      callback({ status: 413, message: `body is over the limit of ${limit} bytes` });
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!failed) callback(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  });
  req.on('error', (err) => {
    if (!failed) { failed = true; callback({ status: 400, message: err.message }); }
  });
  return undefined;
}

function createHttpHandler({ broker, options }) {
  return function handle(req, res) {
    const path = req.url.split('?', 1)[0];
    if (path === '/api/events') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: `${req.method} is not allowed on /api/events: use POST` }, { Allow: 'POST' });
      return readBody(req, options.maxBodyBytes, (err, body) => {
        if (err) return sendJson(res, err.status, { error: err.message }, err.status === 413 ? { Connection: 'close' } : {});
        let raw;
        try {
          raw = JSON.parse(body);
        } catch (e) {
          return sendJson(res, 400, { error: `malformed JSON: ${e.message}` });
        }
        const result = broker.ingest(raw, 'http');
        if (result.error) return sendJson(res, 400, { error: result.error });
        res.writeHead(204);
        return res.end();
      });
    }
    if (path === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'use GET' }, { Allow: 'GET' });
      return sendJson(res, 200, broker.health());
    }
    return sendJson(res, 404, { error: `no route for ${req.method} ${path}` });
  };
}

module.exports = { createHttpHandler };
