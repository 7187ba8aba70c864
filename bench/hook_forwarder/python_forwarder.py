#!/usr/bin/python3
# The peer: the smallest hook forwarder Python's standard library allows
# (json + urllib), as the system hookbroker replaces ran for every hook.
import json
import sys
import urllib.request

url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765/api/events"
event = json.loads(sys.stdin.read())
request = urllib.request.Request(url, data=json.dumps(event).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
try:
    urllib.request.urlopen(request, timeout=2).close()
except Exception:
    pass
