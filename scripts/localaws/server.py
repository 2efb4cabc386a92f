"""Starts moto's WSGI app on loopback with lakesync's layers installed.

Why in-process and not a proxy: the CloudTrail layer needs the account moto resolves for each
request and botocore's service models (for CloudTrail's camelCase requestParameters), and the
fixes patch moto's own models; all three are at hand inside moto's process.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys

from werkzeug.serving import make_server

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

from . import accounts, calls, cloudtrail, faults, fixes, speed


def build_app():
    fixes.apply_all()
    speed.apply_all()
    cloudtrail.install()
    recorded = cloudtrail.RecordingMiddleware(DomainDispatcherApplication(create_backend_app))
    # Outermost the counter, so it also counts the calls a fault answers.
    return accounts.AccountsMiddleware(calls.CallCountingMiddleware(faults.FaultMiddleware(recorded)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="localaws", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)

    server = make_server(args.host, args.port, build_app(), threaded=True, request_handler=MotoRequestHandler)
    host, port = server.server_address[:2]
    # The last line on stdout is the contract with `lakesync local up`.
    print(json.dumps({"endpoint": f"http://{host}:{port}", "pid": os.getpid()}), flush=True)

    def stop(_signum, _frame):
        # shutdown() blocks until serve_forever returns, so it must not run on the serving thread.
        import threading

        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever()
    finally:
        sys.stdout.flush()
