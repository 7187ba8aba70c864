"""The seed's users script the broker in Python: Debian's python3-socketio
client (python-socketio 5.x) against the real hookbroker, over polling and
over WebSocket, as the Python system's heartbeat monitor scripts did.

Run by ctest with HOOKBROKER_BIN set; HOOKBROKER_TEST_TIMEOUT_SCALE stretches
the waits for slow (sanitizer) builds.
"""

import json
import os
import queue
import re
import subprocess
import tempfile
import time
import unittest
import urllib.request

import socketio

SCALE = float(os.environ.get("HOOKBROKER_TEST_TIMEOUT_SCALE", "1") or 1)


def scaled(seconds):
    return seconds * SCALE


class Broker:
    """hookbroker on an ephemeral port, stopped with SIGTERM."""

    def __init__(self, *args):
        self.home = tempfile.TemporaryDirectory(prefix="hookbroker-py-")
        env = dict(os.environ, HOME=self.home.name, XDG_CONFIG_HOME=self.home.name,
                   XDG_STATE_HOME=self.home.name)
        self.log = open(os.path.join(self.home.name, "broker.log"), "w+")
        self.proc = subprocess.Popen([os.environ["HOOKBROKER_BIN"], "--port", "0", *args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + scaled(10)
        self.port = None
        while self.port is None:
            self.log.seek(0)
            match = re.search(r"listening on http://[^\s]+:(\d+)", self.log.read())
            if match:
                self.port = int(match.group(1))
            elif time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("broker did not start: " + self.output())
            else:
                time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def post(self, event):
        request = urllib.request.Request(self.url + "/api/events", data=json.dumps(event).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=scaled(10)) as response:
            return response.status

    def stop(self):
        self.proc.terminate()
        code = self.proc.wait(timeout=scaled(10))
        self.log.close()
        self.home.cleanup()
        return code


class PythonSocketIoClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = Broker("--heartbeat-interval-s", "0.5")

    @classmethod
    def tearDownClass(cls):
        assert cls.broker.stop() == 0

    def run_client(self, transports):
        events = queue.Queue()
        client = socketio.Client(reconnection=False)
        for name in ("status", "history", "system_event", "claude_event"):
            client.on(name, lambda data, name=name: events.put((name, data)))

        def next_event(name, timeout=5):
            deadline = time.monotonic() + scaled(timeout)
            while time.monotonic() < deadline:
                try:
                    got, data = events.get(timeout=max(0.01, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if got == name:
                    return data
            self.fail(f"no {name} event over {transports}")

        client.connect(self.broker.url, transports=transports, wait_timeout=scaled(10))
        try:
            self.assertEqual(next_event("status")["service"], "hookbroker")
            self.assertIn("events", next_event("history"))

            heartbeat = next_event("system_event", timeout=3)
            self.assertEqual(heartbeat["event"], "heartbeat")
            for key in ("uptime_seconds", "total_events", "connected_clients", "server_info"):
                self.assertIn(key, heartbeat["data"])

            self.assertEqual(client.call("echo", {"from": "python", "n": [1, 2]}, timeout=scaled(5)),
                             {"from": "python", "n": [1, 2]})
            self.assertEqual(client.call("get_status", timeout=scaled(5))["service"], "hookbroker")
            self.assertEqual(client.call("claude_event", {"type": "test", "subtype": "from_python"},
                                         timeout=scaled(5)), {"status": "ok"})
            self.assertEqual(next_event("claude_event")["subtype"], "from_python")

            self.assertEqual(self.broker.post({"type": "test", "subtype": "posted", "data": {"x": 1}}), 204)
            self.assertEqual(next_event("claude_event")["subtype"], "posted")
            return client.transport()
        finally:
            client.disconnect()

    def test_polling(self):
        self.assertEqual(self.run_client(["polling"]), "polling")

    def test_websocket(self):
        self.assertEqual(self.run_client(["websocket"]), "websocket")

    def test_default_transports_upgrade(self):
        # python-socketio connects over polling and upgrades (python3-websocket is installed).
        self.assertEqual(self.run_client(["polling", "websocket"]), "websocket")


if __name__ == "__main__":
    unittest.main(verbosity=2)
