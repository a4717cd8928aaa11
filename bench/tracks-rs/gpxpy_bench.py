"""The same work as tracks-bench, with gpxpy: parse each GPX file and compute
what Athlos computes (length, moving data, elevation, bounds, a simplified
shape). Prints `<kind> <points> <seconds>` like tracks-bench."""
import sys
import time

import gpxpy

rounds = int(sys.argv[1])
totals = {}
for path in sys.argv[2:]:
    kind = "generated" if "generated" in path else "gpx"
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    started = time.perf_counter()
    points = 0
    for _ in range(rounds):
        try:
            gpx = gpxpy.parse(text)
        except Exception:
            continue
        gpx.length_3d()
        gpx.get_moving_data()
        gpx.get_uphill_downhill()
        gpx.get_elevation_extremes()
        gpx.get_bounds()
        gpx.get_duration()
        points += gpx.get_track_points_no()
        gpx.simplify()
    seconds = time.perf_counter() - started
    total = totals.setdefault(kind, [0, 0.0])
    total[0] += points
    total[1] += seconds
for kind, (points, seconds) in sorted(totals.items()):
    print(f"{kind} {points} {seconds:.6f}")
