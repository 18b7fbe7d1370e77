"""gunicorn's access log without the secret in a secret link (gunicorn.conf.py's logger_class).

The request line, path and referrer of `/j/<token>/`, `/review/<token>/` and the other secret
links are logged with `[token]` in place of the token, as the application's own logs are.
"""

from gunicorn.glogging import Logger

from .logging import redact

WITH_PATHS = ("r", "U", "f", "q")


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in WITH_PATHS:
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
