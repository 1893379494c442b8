"""Run the web app under gunicorn (what ``searcher serve`` and ``make serve`` use).

The app is loaded before gunicorn forks its workers (``preload_app``), so jieba's dictionary and our user dictionary
are read once and shared copy-on-write; each worker still opens its own index files on its first request.
"""

from __future__ import annotations

from pathlib import Path

from gunicorn.app.base import BaseApplication

from searcher.web import create_app

__all__ = ["run"]


class _Server(BaseApplication):
    def __init__(self, app: object, options: dict[str, object]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> object:
        return self.application


def run(index_dir: Path, host: str, port: int, workers: int, threads: int = 4) -> None:
    """Serve until interrupted; debug is never on here.

    ``threads`` > 1 runs gunicorn's threaded worker. A search holds its process's index lock while it runs, so threads
    overlap the HTTP work around searches, and a worker's threads share one cache of decoded postings (more
    processes would each decode the same postings again). On 2 cores, 2 workers × 2 or 4 threads served the most
    uncached searches, within noise of each other (188 and 175 a second, against 133 for 2 × 1 and 99 for 4 × 1:
    ``bench/serving.py --grid``, BENCHMARKS.md); 4 threads keep more slow connections open at once.
    """
    app = create_app({"INDEX_DIR": str(index_dir), "DEBUG": False})
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "preload_app": True,
        "timeout": 30,
        "graceful_timeout": 5,
        "accesslog": "-",
        "limit_request_line": 8190,
    }
    _Server(app, options).run()
