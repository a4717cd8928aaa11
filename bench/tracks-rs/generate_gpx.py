"""Writes a GPX track of N points (a run along a winding line with elevation
and heart rate), for measuring parsers on a large file."""
import math
import time
import sys

n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="athlos-bench" '
              'xmlns="http://www.topografix.com/GPX/1/1" '
              'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
              '<trk><name>generated</name><trkseg>\n')
    start = 1_700_000_000
    for i in range(n):
        lat = 46.0 + i * 0.00003
        lon = 14.5 + 0.01 * math.sin(i / 300.0)
        ele = 300 + 50 * math.sin(i / 1000.0)
        t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + i))
        out.write(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele><time>{t}</time>'
                  f'<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{140 + i % 20}</gpxtpx:hr>'
                  f'</gpxtpx:TrackPointExtension></extensions></trkpt>\n')
    out.write('</trkseg></trk>\n</gpx>\n')
