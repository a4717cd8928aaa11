// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-f76c8079190a';
const PRECACHE = ["/","/assets/BlockedPeople-BT_cmgDZ.js","/assets/ChipChoice-YEQ-AMrt.js","/assets/ConfirmDialog-zyuSy1_R.js","/assets/EditEquipment-8rCbX9Xg.js","/assets/EditWorkout-CLtXnGfl.js","/assets/EquipmentForm-Bm-LGB_f.js","/assets/EquipmentList-B7yRfRc4.js","/assets/EquipmentPage-B5a4aOjr.js","/assets/FollowList-DaWz49fR.js","/assets/FollowRequests-B5AKriP9.js","/assets/Moderation-COtIfVdv.js","/assets/MyReports-D9NlSwxK.js","/assets/MyTrainings-ChR2zDBq.js","/assets/Notifications-13UeBFeQ.js","/assets/PartnerOffers-CKOo-SCo.js","/assets/PeopleList-D8gN5OrY.js","/assets/PeopleSearch-tvRUdwCg.js","/assets/PersonPage-Zw8UI9qu.js","/assets/PublicProfile-CbiEnPSl.js","/assets/Records-DejnW8t9.js","/assets/ReportDialog-DArDiLUr.js","/assets/ReportSummary-HstGboly.js","/assets/Settings-DB6tYs9U.js","/assets/Stats-0ofomsBw.js","/assets/Upload-B-bforCB.js","/assets/WearBar-hxjv4C1C.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutCharts-D-cAtfun.js","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-de-3eKd0.js","/assets/WorkoutPage-0gNdaM4a.js","/assets/dist-BJrmHKyY.js","/assets/equipment-BSdIB4rv.js","/assets/equipment-_WGBqv8k.js","/assets/follows-B88SUX_p.js","/assets/forms-B0p5p-BT.js","/assets/i18n-BVUvQaPF.js","/assets/index-C_QVhTqh.js","/assets/index-_VFS8axI.css","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/outbox-DmeCyIfW.js","/assets/regions-DTri6cu3.js","/assets/rolldown-runtime-WkwZ5CU-.js","/assets/ru-CZwUidwM.js","/assets/session-CcERdoI9.js","/assets/src-CfvetF_K.js","/assets/useInfiniteQuery-DvHuqmQv.js","/assets/useWorkout-yvsnRHsa.js","/assets/wording-DrVdWK1p.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
