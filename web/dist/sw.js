// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-58aa081314e3';
const PRECACHE = ["/","/assets/BlockedPeople-Cq2mWlz5.js","/assets/ChipChoice-CFnEkq7m.js","/assets/ConfirmDialog-DBVMcEJ5.js","/assets/EditEquipment-745v4CMv.js","/assets/EditWorkout-Cd-_sjSQ.js","/assets/EquipmentForm-BvLkRDEh.js","/assets/EquipmentList-BJk67VXG.js","/assets/EquipmentPage-CRRyg0NJ.js","/assets/FollowList-C9XmvJlW.js","/assets/FollowRequests-ttNYgccC.js","/assets/Moderation-DLGkbZ29.js","/assets/MyReports-Cadb6K01.js","/assets/MyTrainings-izEB1wm4.js","/assets/Notifications-Bbw3VvSo.js","/assets/PartnerOffers-r4Y_ex1v.js","/assets/PeopleList-CEylSLco.js","/assets/PeopleSearch-D9MCAejl.js","/assets/PersonPage-BzNp31DZ.js","/assets/PublicProfile-D_eLeMZn.js","/assets/Records-Cmfhubaf.js","/assets/ReportDialog-CQIqUCUu.js","/assets/ReportSummary-qPYDWVEy.js","/assets/Settings-uvSQRWNx.js","/assets/Stats-i2GQE7q9.js","/assets/Upload-DIVIDkAO.js","/assets/WearBar-B87AgKTy.js","/assets/WorkoutCharts-C9qs1WX9.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutMap-3s1lIXL_.js","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutPage-B6o_k5YO.js","/assets/dist-BJrmHKyY.js","/assets/equipment-CyuEqig6.js","/assets/equipment-_WGBqv8k.js","/assets/follows-BHDKAMtb.js","/assets/forms-hv4AxvHW.js","/assets/i18n-BljU0XuM.js","/assets/index-4WpOS-pZ.js","/assets/index-_VFS8axI.css","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/outbox-D8dKaSuj.js","/assets/regions-DTri6cu3.js","/assets/rolldown-runtime-WkwZ5CU-.js","/assets/ru-B6v4fksR.js","/assets/session-CcERdoI9.js","/assets/src-B__wRO41.js","/assets/useInfiniteQuery-BMw1aHYI.js","/assets/useWorkout-kGJylGKt.js","/assets/wording-DrVdWK1p.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
