// Service worker of the lunglens web app. At install it caches every file
// that site-files.json lists under "files": the app, both WebAssembly builds,
// the vendor files (ONNX Runtime Web included) and the neural engine's
// models. So the app and both engines work offline once the page has been
// loaded. The files under "cachedOnUse" (the WebGPU build of ONNX Runtime
// Web) are cached when a page first loads them.
//
// scripts/build-web.sh replaces the build id below with a hash of the site's
// files. A changed hash changes this file, so the browser installs the new
// version and the old cache is deleted on activation.
'use strict';

const buildId = '__LUNGLENS_BUILD_ID__';
const cacheName = `lunglens-${buildId}`;
const scopeUrl = new URL(self.registration.scope);
// Site paths (relative to the scope) cached when first loaded, site-files.json's
// "cachedOnUse", each with the SHA-256 (hex) of its bytes in this build.
const cachedOnUse = new Map(Object.entries(__LUNGLENS_CACHED_ON_USE__));

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const manifestUrl = new URL('site-files.json', scopeUrl);
    const response = await fetch(manifestUrl, { cache: 'no-cache' });
    if (!response.ok) throw new Error(`${manifestUrl} returned HTTP ${response.status}`);
    const { files } = await response.json();
    const cache = await caches.open(cacheName);
    await cache.addAll(files.map((file) => new URL(file, scopeUrl).href));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('lunglens-') && name !== cacheName) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

// Returns the network response of a cachedOnUse file, cached when it is a
// complete 200 without redirect. A file whose SHA-256 differs from this
// build's (the server already has a newer build) gives HTTP 409, so the page
// falls back to the WASM runtime instead of mixing builds.
async function fetchCachedOnUse(event, url, cache, expectedSha256) {
  const response = await fetch(event.request);
  if (response.status !== 200 || response.type !== 'basic' || response.redirected) return response;

  const bytes = await response.arrayBuffer();
  const sha256 = await sha256Hex(bytes);
  if (sha256 !== expectedSha256) {
    const message = `${url.pathname}: the server sent another build of this file (SHA-256 ${sha256}, ` +
      `expected ${expectedSha256}); reload the page to update the app`;
    console.warn(`lunglens service worker: ${message}`);
    return new Response(message, { status: 409, statusText: 'Conflict', headers: { 'Content-Type': 'text/plain' } });
  }
  const verified = new Response(bytes, { status: 200, statusText: response.statusText, headers: response.headers });
  event.waitUntil(cache.put(new URL(url.pathname, url.origin).href, verified.clone()));
  return verified;
}

// Cache first for the site's own files. A file missing from the cache comes
// from the network, and a file of cachedOnUse is then checked and cached
// (fetchCachedOnUse). Requests to other origins are not handled (the page's
// CSP forbids them).
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== scopeUrl.origin) return;

  event.respondWith((async () => {
    const cache = await caches.open(cacheName);
    const key = url.pathname.endsWith('/') ? new URL('index.html', url).href : url.href;
    const cached = await cache.match(key, { ignoreSearch: true });
    if (cached) return cached;

    const expectedSha256 = cachedOnUse.get(url.pathname.slice(scopeUrl.pathname.length));
    if (expectedSha256) return fetchCachedOnUse(event, url, cache, expectedSha256);
    return fetch(request);
  })());
});
