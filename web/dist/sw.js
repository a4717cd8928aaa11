// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-318a3ff70f62';
const PRECACHE = ["/","/assets/EditWorkout-QtgF2fhc.js","/assets/Records-ClzXUtx5.js","/assets/Settings-DeHcY7xb.js","/assets/Stats-iVxgzo6A.js","/assets/Upload-utRyXT_k.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutCharts-HyVqTBDz.js","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-Bh5oR8AP.js","/assets/WorkoutPage-DDkyKd8C.js","/assets/dist-BJrmHKyY.js","/assets/forms-C6bjwciR.js","/assets/index-CtsN_JIn.js","/assets/index-CvF2D05d.css","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/queries-sBrMcTMm.js","/assets/ru-m_YeG3DS.js","/assets/useWorkout-96YTaiYK.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith('athlos-') && n !== CACHE).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Pages: the network first (a new version shows at once), the cached
    // shell when offline. Every path is the same app.
    event.respondWith(fetch(request).catch(() => caches.match('/', { cacheName: CACHE })));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});
