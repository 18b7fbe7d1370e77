"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py recruitment.wsgi`.

Each value can be changed by an environment variable. Put a buffering proxy (nginx) in
front: sync workers are held by slow clients otherwise (see DEPLOY.md).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1))))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM, finish the requests in hand for this long before stopping.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A worker is replaced after this many requests (a slow leak cannot grow for ever). Booting
# one costs a second or two of CPU and empties its page cache: at 2,000, a worker serving
# cached pages was replaced every second or two, which halved what the server served.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
# The request line is logged, never form bodies or the client's address (personal data);
# our URLs carry no personal data, and a secret link's token is logged as [token].
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
logger_class = "recruitment.access_log.RedactingLogger"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
