// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-fc5f91ccb32c';
const PRECACHE = ["/","/assets/BlockedPeople-_2ohlPyL.js","/assets/ChipChoice-DAik11E4.js","/assets/CompetitionPage-DDbY8Lvq.js","/assets/Competitions-BLhwKfMJ.js","/assets/ConfirmDialog-QZbtKuMx.js","/assets/ConversationPage-DWL93hBe.js","/assets/Conversations-QzBd87Jw.js","/assets/EditEquipment-DhEtryR3.js","/assets/EditWorkout-DwnPwOH-.js","/assets/EquipmentForm-1LYHdtSr.js","/assets/EquipmentList-CYQdJyha.js","/assets/EquipmentPage-C2gkZchx.js","/assets/FollowList-CkmG3_zy.js","/assets/FollowRequests-BDYtNrEA.js","/assets/Leaderboards-CA9tZ4VC.js","/assets/Matches-BxhJ5Nnd.js","/assets/MenuButton-CulVwfXu.js","/assets/Moderation-7-XZQVxD.js","/assets/MyReports-C9SMGHHC.js","/assets/MyTrainings-CSCChz4U.js","/assets/NewCompetition-C4tk16nq.js","/assets/Notifications-C6LQXl7o.js","/assets/OnlineOnly-C7o88dOi.js","/assets/PartnerOffers-BvTl1VKo.js","/assets/Partners-ZepuFf9G.js","/assets/PeopleList-bTGeYOxc.js","/assets/PeopleSearch-BEvn-GKT.js","/assets/PersonPage-CIjDT1_k.js","/assets/PersonRow-B4wESZM5.js","/assets/PlaceAround-DQ4VOT15.js","/assets/PublicProfile-amvOEiF6.js","/assets/Records-Cy5YDxM9.js","/assets/ReportDialog-DZS7gXdl.js","/assets/ReportSummary-CbWLNMzt.js","/assets/Settings-qroEOyru.js","/assets/Stats-BHtuGa-G.js","/assets/StatusBadge-D-YnjBN6.js","/assets/Upload-DURf01gd.js","/assets/WearBar-BIsbq_Lc.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutCharts-DsrfQXrS.js","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-ENdhs40m.js","/assets/WorkoutPage-CaiBWN1l.js","/assets/dist-BJrmHKyY.js","/assets/equipment-BuGe04TP.js","/assets/equipment-_WGBqv8k.js","/assets/follows-WMvAwglh.js","/assets/forms-BjFGUe2P.js","/assets/geohash-CjP1Sxr6.js","/assets/i18n-BWMb3Tpz.js","/assets/index-Bj96akvN.css","/assets/index-NGuccTj7.js","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/local-DvZ3xOYZ.js","/assets/marker-icon-hN30_KVU.png","/assets/partners-jMg0Msj4.js","/assets/problems-BIht0rvt.js","/assets/regions-DTri6cu3.js","/assets/rolldown-runtime-WkwZ5CU-.js","/assets/ru-tNLjSFJi.js","/assets/session-D1hxEJaq.js","/assets/src-Dy-b77Px.js","/assets/sync-HCPqloqq.js","/assets/time-BAmxvsaZ.js","/assets/useInfiniteQuery-BUh9FKZP.js","/assets/useMutation-D1yiw37T.js","/assets/views-BO3Hl6AA.js","/assets/wording-BsQ_YNID.js","/assets/wording-DrVdWK1p.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
