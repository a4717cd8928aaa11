// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-c33d5c163f0a';
const PRECACHE = ["/","/assets/EditWorkout-Cpi3Pf-H.js","/assets/Records-CI_HmgvF.js","/assets/Settings-CP8Z-9p7.js","/assets/Stats-CvCeZGNP.js","/assets/Upload-2FmbjWq6.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutCharts-CsairNmR.js","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-a01LWo8J.js","/assets/WorkoutPage-D1HfYS87.js","/assets/dist-BJrmHKyY.js","/assets/forms-CgMgUzrn.js","/assets/index-BjM6LhvN.css","/assets/index-CraEXbl0.js","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/queries-BNPxPo8A.js","/assets/ru-RYUru8ys.js","/assets/useWorkout-BQFpstDw.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
