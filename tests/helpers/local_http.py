"""A local HTTP server on 127.0.0.1 for the network tests: started on a free
port in a thread of its own, stopped at once."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def start(handler: type[BaseHTTPRequestHandler], server_class: type[LocalServer] = LocalServer) -> LocalServer:
    server = server_class(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server


def stop(server: LocalServer) -> None:
    server.shutdown()
    server.server_close()
