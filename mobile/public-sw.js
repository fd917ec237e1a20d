// The phone app's service worker (issue 16): the app opens without network
// — the page kept from its last load, each screen's files kept from their
// first use (their names change with every build: kept for good) — so a
// visit can still be logged offline after the phone closed the browser.
// The JSON-RPC calls (POST) are never answered from here.
const CACHE = 'dealer-m-__BUILD__'

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.add('/m/'))
    .then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys
    .filter((key) => key.startsWith('dealer-m-') && key !== CACHE)
    .map((key) => caches.delete(key)))).then(() => self.clients.claim()))
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== self.location.origin
      || !url.pathname.startsWith('/m/')) return
  if (url.pathname.startsWith('/m/assets/')) {
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(request)
      .then((kept) => kept || fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone())
        return response
      }))))
    return
  }
  // the page: the network's first, the kept one without network
  event.respondWith(fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone()
      caches.open(CACHE).then((cache) => cache.put('/m/', copy))
    }
    return response
  }).catch(() => caches.match('/m/')))
})
