"""A media storage that kills its own process partway through writing a file, as a worker killed
by the kernel or an operator would stop: no exception, no cleanup, the transaction never committed.

Set as MEDIA_STORAGE for a worker process; RENDITIONS_DIE_AFTER is how many files it writes whole
before it dies in the middle of the next.
"""

import os
import signal
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class DiesMidway(FileSystemStorage):
    written = 0

    def _save(self, name, content):
        if DiesMidway.written >= int(os.environ["RENDITIONS_DIE_AFTER"]):
            path = Path(self.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.read()[:100])
            os.kill(os.getpid(), signal.SIGKILL)
        DiesMidway.written += 1
        return super()._save(name, content)
