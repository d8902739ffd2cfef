"""A plain static peer: answers GET /chain and POST /register_node with a dump file.

Usage: static_peer.py PORT DUMP   (for the adoption figure in the README)
"""
import http.server, os, shutil, sys

DUMP = sys.argv[2]

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def send_dump(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(os.path.getsize(DUMP)))
        self.end_headers()
        with open(DUMP, "rb") as f:
            shutil.copyfileobj(f, self.wfile, 1 << 20)
    def do_GET(self):
        if self.path.split("?")[0] == "/chain":
            return self.send_dump()
        self.send_error(404)
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        self.rfile.read(n)
        if self.path == "/register_node":
            return self.send_dump()
        self.send_error(404)
    def log_message(self, *a):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
