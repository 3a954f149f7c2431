#!/usr/bin/env python3
"""A webhook endpoint for the end-to-end scripts: appends each POST body, on one line, to a file.

    webhook-receiver.py PORT FILE      (listens on 127.0.0.1:PORT, answers 200 to every POST)
"""
import http.server
import sys


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as out:
            out.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
