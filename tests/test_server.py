"""The real server (gunicorn, 2 workers): answers while a rebuild swaps the index underneath it."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request

from searcher.build import build
from tests.conftest import PAGE, serving, write_jsonl


def test_a_load_run_during_rebuild_swaps_sees_no_errors(tmp_path):
    index_dir = tmp_path / "index"
    data = write_jsonl(
        tmp_path / "a.jsonl", [{"id": f"l-{i}", "title": f"第{i}篇", "body": "共同富裕"} for i in range(30)]
    )
    build([data, PAGE], index_dir)
    statuses: list[int] = []
    stop = threading.Event()

    def load(url: str) -> None:
        query = urllib.parse.urlencode({"q": "共同富裕"})
        while not stop.is_set():
            try:
                with urllib.request.urlopen(f"{url}/api/search?{query}", timeout=5) as response:
                    statuses.append(response.status)
            except OSError as error:
                statuses.append(getattr(error, "code", 0) or -1)

    with serving(index_dir) as url:
        clients = [threading.Thread(target=load, args=(url,)) for _ in range(3)]
        for client in clients:
            client.start()
        for round_ in range(3):
            write_jsonl(
                data, [{"id": f"l-{i}", "title": f"第{i}篇 轮{round_}", "body": "共同富裕"} for i in range(30 + round_)]
            )
            build([data, PAGE], index_dir, rebuild=True)
            time.sleep(0.5)
        query = urllib.parse.urlencode({"q": "轮2"})
        with urllib.request.urlopen(f"{url}/api/search?{query}", timeout=5) as response:
            assert json.load(response)["total"] == 32  # the new index, without a restart
        stop.set()
        for client in clients:
            client.join()
    assert len(statuses) > 20 and set(statuses) == {200}
