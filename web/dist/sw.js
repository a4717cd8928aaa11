// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-1513441751ef';
const PRECACHE = ["/","/assets/BlockedPeople-DJ9MSe8r.js","/assets/ChipChoice-DAik11E4.js","/assets/CompetitionPage-X_mUbkUY.js","/assets/Competitions-BaeEnyd6.js","/assets/ConfirmDialog-QZbtKuMx.js","/assets/ConversationPage-BROHRSTh.js","/assets/Conversations-BVbRDnRw.js","/assets/EditEquipment-O8UObzhC.js","/assets/EditWorkout-CUHfmBAq.js","/assets/EquipmentForm-D6mINLYb.js","/assets/EquipmentList-CF_-Fv7O.js","/assets/EquipmentPage-uTervoOe.js","/assets/FollowList-CBixTwQM.js","/assets/FollowRequests-CWWZDeD3.js","/assets/Leaderboards-B4FQT1de.js","/assets/Matches-PeWF1zbN.js","/assets/MenuButton-C4A8lnet.js","/assets/Moderation-3YosYrs-.js","/assets/MyReports-YfAJxWX3.js","/assets/MyTrainings-B1hLX3CE.js","/assets/NewCompetition-CIXhz0Vi.js","/assets/Notifications-DDvTr3VU.js","/assets/OnlineOnly-C7o88dOi.js","/assets/PartnerOffers-CfL0R1ZL.js","/assets/Partners-Lp4ujMWo.js","/assets/PeopleList-BqbyMbMb.js","/assets/PeopleSearch-z6P2_ovp.js","/assets/PersonPage-CZE2NyHQ.js","/assets/PersonRow-Cw-ZYaUd.js","/assets/PlaceAround-C6ShRwdW.js","/assets/PublicProfile-CjMaOmuc.js","/assets/Records-CNOMFo9a.js","/assets/ReportDialog-DIpUG6dV.js","/assets/ReportSummary-za3Ajoq6.js","/assets/Settings-CWTVlf70.js","/assets/Stats-CDIOpaQz.js","/assets/StatusBadge-D-YnjBN6.js","/assets/Upload-BRpLfTfe.js","/assets/WearBar-DGxCVSGv.js","/assets/WorkoutCharts-CHPdIIUS.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-ENdhs40m.js","/assets/WorkoutPage-Cq9XX8Un.js","/assets/dist-BJrmHKyY.js","/assets/equipment-BuGe04TP.js","/assets/equipment-_WGBqv8k.js","/assets/follows-D5K6DXnh.js","/assets/forms-BjFGUe2P.js","/assets/geohash-CjP1Sxr6.js","/assets/i18n-BWMb3Tpz.js","/assets/index-Bj96akvN.css","/assets/index-DjVDaxBc.js","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/local-DvZ3xOYZ.js","/assets/marker-icon-hN30_KVU.png","/assets/partners-jMg0Msj4.js","/assets/problems-BIht0rvt.js","/assets/regions-DTri6cu3.js","/assets/rolldown-runtime-WkwZ5CU-.js","/assets/ru-tNLjSFJi.js","/assets/session-D1hxEJaq.js","/assets/src-Dy-b77Px.js","/assets/sync-HCPqloqq.js","/assets/time-BAmxvsaZ.js","/assets/useInfiniteQuery-BUh9FKZP.js","/assets/useMutation-D1yiw37T.js","/assets/views-BO3Hl6AA.js","/assets/wording-BnIYwmDz.js","/assets/wording-DrVdWK1p.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
