"""Storage backends that fail the way real ones do, for the tests of what a failure keeps."""

import errno
import os

from django.core.files.storage import FileSystemStorage


class DiskFullStorage(FileSystemStorage):
    """Writes the first half of each file to the real disk, then fails as a full disk does."""

    def _save(self, name, content):
        full_path = self.path(name)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        data = b"".join(content.chunks())
        with open(full_path, "xb") as partial:
            partial.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), full_path)
