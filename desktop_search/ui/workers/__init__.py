"""The only package that knows about threads: the core's generators and latest-wins jobs, as signals.

Each worker is a QObject living in the GUI thread with a thread of its own behind it; its signals
are emitted from that thread and reach slots in the GUI thread queued, so slots never race.
"""

from desktop_search.ui.workers.index_worker import IndexWorker
from desktop_search.ui.workers.latest_worker import LatestWorker
from desktop_search.ui.workers.watch_worker import FolderWatchWorker

__all__ = ["FolderWatchWorker", "IndexWorker", "LatestWorker"]
