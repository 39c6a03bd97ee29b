// The playbook's service worker (plain script, no library). The build writes it at the site root
// as sw.js, after the constants that describe that build (hooks/playbook_site/offline.py):
//   VERSION  a hash of every file below: a new build is a new worker with a new cache;
//   FILES    { site-relative URL: true when it is named by a version or content hash }.
//
// Install: every file goes into a cache named after VERSION; all of them or none (a failed
// install deletes its cache and the previous build's stays in use). Hash-named files are taken
// from the HTTP cache when the page has just downloaded them; the others are revalidated.
// Activate: the caches of earlier builds are deleted.
// Fetch: hash-named files come from the cache (they never change); pages and the few files with
// fixed names (entry modules, styles, search index) come from the network (revalidated) and from
// the cache only when the network fails, so an online visitor always sees the current build and an offline one
// sees one consistent build: a cache only ever holds the files of its own build, which name each
// other by hash, so a stale runtime can never meet a new wheel.
const CACHE_PREFIX = `maturity-playbook-offline:${self.registration.scope}:`;
const CACHE = CACHE_PREFIX + VERSION;
const SCOPE = new URL(self.registration.scope);
const KNOWN = new Map(Object.entries(FILES));
const LANES = 4;

function keyOf(path) {
  return new URL(path, SCOPE).href;
}

async function precache() {
  const cache = await caches.open(CACHE);
  const paths = [...KNOWN.keys()];
  let next = 0;
  const lane = async () => {
    while (next < paths.length) {
      const path = paths[next];
      next += 1;
      const response = await fetch(keyOf(path), { cache: KNOWN.get(path) ? "force-cache" : "no-cache", credentials: "same-origin" });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      // A redirected response cannot answer a navigation: keep only its body and headers.
      const clean = response.redirected ? new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers }) : response;
      await cache.put(keyOf(path), clean);
    }
  };
  try {
    await Promise.all(Array.from({ length: LANES }, lane));
  } catch (error) {
    await caches.delete(CACHE);
    throw error;
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function fromCache(path) {
  return caches.match(keyOf(path), { cacheName: CACHE });
}

async function cacheFirst(request, path) {
  return (await fromCache(path)) || fetch(request);
}

// From the network, revalidated (a copy in the HTTP cache is never used as it is), so an online
// visitor always gets the current build's pages and entry modules.
function fromNetwork(request) {
  if (request.mode === "navigate") {
    // A navigation's request cannot be copied with other options; "manual" hands a redirect back
    // to the browser, which follows it.
    return fetch(request.url, { cache: "no-cache", credentials: "same-origin", redirect: "manual" });
  }
  return fetch(request, { cache: "no-cache" });
}

async function networkFirst(request, path) {
  try {
    return await fromNetwork(request);
  } catch (error) {
    const cached = (await fromCache(path)) || (request.mode === "navigate" ? await fromCache("404.html") : undefined);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  const path = url.pathname.slice(SCOPE.pathname.length);
  if (KNOWN.get(path) === true) event.respondWith(cacheFirst(request, path));
  else if (KNOWN.has(path) || request.mode === "navigate") event.respondWith(networkFirst(request, path));
});
