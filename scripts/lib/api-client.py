"""Times GET PATH against the operator API over one keep-alive connection.

usage: api-client.py HOST PORT PATH REQUESTS  (the API token on stdin, never on argv)
prints: P50-MS P99-MS; exits 1 on any answer but 200.
"""
import http.client
import sys
import time

host, port, path, requests = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
token = sys.stdin.readline().strip()
connection = http.client.HTTPConnection(host, port, timeout=30)
headers = {"Authorization": "Bearer " + token}
times = []
for index in range(requests + 5):
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        sys.exit(f"{path}: {response.status} {body[:200]!r}")
    if index >= 5:  # the first requests warm the pool and caches
        times.append(elapsed)
times.sort()
print(f"{times[len(times) // 2]:.2f} {times[min(len(times) - 1, int(len(times) * 0.99))]:.2f}")
