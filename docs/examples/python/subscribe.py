"""Subscribes to an ssehub stream with requests, prints each event as "<type> <id> <data>", and
when the stream ends reconnects with Last-Event-ID, as a browser's EventSource does, so no event is
lost or repeated.

    python3 subscribe.py http://localhost:8080/events/news [last-event-id]
"""
import sys
import time

import requests


class Stream:
    def __init__(self, url, last_event_id=""):
        self.url = url
        self.last_event_id = last_event_id
        self.retry = 1.0  # seconds

    def events(self, response):
        """Yields (type, id, data) for each event of the body, as the HTML standard parses it."""
        event_type, data = "", []
        for raw in response.iter_lines():
            line = raw.decode("utf-8")
            if line == "":
                if data:
                    yield event_type or "message", self.last_event_id, "\n".join(data)
                event_type, data = "", []
                continue
            if line.startswith(":"):
                continue  # a comment: the hub's keep-alive
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "data":
                data.append(value)
            elif field == "event":
                event_type = value
            elif field == "id" and "\0" not in value:
                self.last_event_id = value
            elif field == "retry" and value.isdigit():
                self.retry = int(value) / 1000

    def run(self, on_event):
        session = requests.Session()
        while True:
            headers = {"Accept": "text/event-stream"}
            if self.last_event_id:
                headers["Last-Event-ID"] = self.last_event_id
            try:
                # The read timeout outlasts the hub's keep-alive (15 s), so only a dead peer trips it.
                with session.get(self.url, headers=headers, stream=True, timeout=(5, 60)) as response:
                    if response.status_code != 200:
                        sys.exit(f"refused: HTTP {response.status_code} {response.text}")
                    for event_type, event_id, data in self.events(response):
                        on_event(event_type, event_id, data)
                print(f"stream ended, reconnecting in {self.retry:g} s", file=sys.stderr, flush=True)
            except requests.RequestException as error:
                print(f"stream failed ({error}), reconnecting in {self.retry:g} s", file=sys.stderr, flush=True)
            time.sleep(self.retry)


def on_event(event_type, event_id, data):
    # A "reset" event says the hub no longer holds every event after our last id (its data says
    # which): an application reloads its state from its source of truth there, instead of going on
    # with a gap. "ready" comes first on every connection, with the position the stream starts after.
    print(event_type, event_id, data, flush=True)


if __name__ == "__main__":
    Stream(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "").run(on_event)
