// Static file server for the lunglens web app, in plain Node (no framework).
//
// Sends Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy so the page
// is cross-origin isolated and can use the threaded WebAssembly build, and the
// MIME types browsers require for .wasm and .mjs. Sends the app's
// Content-Security-Policy, which allows connections to this origin only.
// Binds to 127.0.0.1 unless --host names another address. Serves only files under the root folder.
//
// Usage: node web/serve.mjs [--root DIR] [--port N] [--host ADDRESS] [--no-isolation]
//   --root          folder to serve (default: the repository root)
//   --port          TCP port (default 8080; 0 picks a free one)
//   --host          address to bind (default 127.0.0.1)
//   --no-isolation  omit COOP/COEP, as a plain static host would
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The same policy as the meta tag of web/index.html. WebAssembly compilation
// needs 'wasm-unsafe-eval'; blob: and data: images are the exports and the
// printed key images.
export const contentSecurityPolicy = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'", "connect-src 'self'",
  "img-src 'self' data: blob:", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');

const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

// Starts the server; resolves to the http.Server once it listens.
export function startServer({ root, port = 8080, host = '127.0.0.1', isolation = true, log = () => {} }) {
  const rootFolder = fs.realpathSync(root);
  const server = http.createServer((request, response) => {
    const headers = {
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': contentSecurityPolicy,
    };
    if (isolation) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' });
      response.end();
      return;
    }

    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      response.writeHead(400, headers);
      response.end('invalid URL');
      return;
    }
    let file = path.join(rootFolder, pathname);
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      file = fs.realpathSync(file);
    } catch {
      response.writeHead(404, headers);
      response.end('not found');
      log(`404 ${pathname}`);
      return;
    }
    // Refuse paths that resolve outside the root (../ or symbolic links).
    if (file !== rootFolder && !file.startsWith(rootFolder + path.sep)) {
      response.writeHead(403, headers);
      response.end('forbidden');
      return;
    }

    const type = mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const size = fs.statSync(file).size;
    response.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': size });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function parseArguments(argv) {
  const options = { root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), port: 8080, host: '127.0.0.1', isolation: true };
  for (let a = 0; a < argv.length; ++a) {
    const option = argv[a];
    const value = () => {
      if (a + 1 >= argv.length) throw new Error(`${option} needs a value`);
      return argv[++a];
    };
    if (option === '--root') options.root = path.resolve(value());
    else if (option === '--port') {
      options.port = Number(value());
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error(`--port expects 0..65535`);
    } else if (option === '--host') options.host = value();
    else if (option === '--no-isolation') options.isolation = false;
    else throw new Error(`unknown option ${option}`);
  }
  return options;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`serve: ${error.message}`);
    console.error('usage: node web/serve.mjs [--root DIR] [--port N] [--host ADDRESS] [--no-isolation]');
    process.exit(2);
  }
  const server = await startServer({ ...options, log: (line) => console.error(line) });
  const { port } = server.address();
  console.log(`lunglens: serving ${options.root} at http://${options.host}:${port}/ (${options.isolation ? 'cross-origin isolated' : 'no COOP/COEP'})`);
}
