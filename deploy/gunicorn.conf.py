# Dealer management system: gunicorn settings of the web processes
# (`./dealer serve`, deploy/systemd/dealer-web.service, tests/test_multiprocess.py).
# Run:  TRYTOND_CONFIG=config/production.conf TRYTOND_DATABASE_NAMES=dealer \
#         gunicorn -c deploy/gunicorn.conf.py
# Every setting can be changed by the environment below; gunicorn's own
# command-line options, given after -c, win over this file.
import multiprocessing
import os
import time

# trytond's WSGI application: the RPC (XML-RPC, JSON-RPC), the web client's
# static files from [web] root and, when subscribing is allowed, the bus.
wsgi_app = 'trytond.application:app'

# Where to listen: DEALER_LISTEN (host:port, several separated by commas),
# else the configuration's [web] listen (trytond's own server reads it too).
def _listen():
    if os.environ.get('DEALER_LISTEN'):
        return os.environ['DEALER_LISTEN']
    from trytond import config
    return config.get('web', 'listen')


bind = [b.strip() for b in _listen().split(',') if b.strip()]

# N worker processes, forked from a master that imported trytond and loaded
# the pool of every database of TRYTOND_DATABASE_NAMES once (preload): a
# worker starts serving at once and shares the master's memory.  A sync
# worker serves one request at a time and Python runs one thread at a time,
# so the default is two per core (one computes while the other waits for
# PostgreSQL).
workers = int(os.environ.get('DEALER_WORKERS')
    or 2 * multiprocessing.cpu_count())
preload_app = True

# DEALER_THREADS > 1: gthread workers of that many threads.  Needed only for
# the bus ([bus] allow_subscribe = True in config/production.conf): a long
# poll holds its worker for up to [bus] long_polling_timeout (5 minutes), so
# with sync workers every open web client would hold a whole process.
threads = int(os.environ.get('DEALER_THREADS') or 1)
worker_class = 'gthread' if threads > 1 else 'sync'

# A worker silent this long is killed and replaced (its request's
# transaction is rolled back by PostgreSQL): above [request] timeout (60 s).
timeout = int(os.environ.get('DEALER_WORKER_TIMEOUT') or 120)
graceful_timeout = 30
keepalive = 5
# Replace a worker after this many requests (memory of large reports).
max_requests = 2000
max_requests_jitter = 200

# X-Forwarded-* are taken from the proxy by trytond itself ([web]
# num_proxies); gunicorn trusts them from the loopback only.
forwarded_allow_ips = '127.0.0.1,::1'
proc_name = 'dealer-web'


def post_worker_init(worker):
    """Start the worker's cache invalidation listener before it serves.

    With [cache] clean_timeout = 0, trytond clears its caches when another
    process NOTIFYs a change, through one listening thread per process,
    which it starts only at the process's second transaction: a freshly
    forked worker could otherwise serve its second request from what its
    first one cached, before listening.  Two transactions start it; the
    worker waits (at most 10 s) until it listens."""
    from trytond import backend, config
    from trytond.cache import Cache, MemoryCache
    from trytond.transaction import Transaction
    if (config.getint('cache', 'clean_timeout')
            or not issubclass(Cache, MemoryCache)
            or backend.name != 'postgresql'):
        return
    names = [n for n in os.environ.get(
            'TRYTOND_DATABASE_NAMES', '').split(',') if n]
    for name in names:
        for _ in range(2):
            with Transaction().start(name, 0, readonly=True):
                pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            listener = MemoryCache._local.listeners.get(name)
            if listener is not None and getattr(listener, 'listening', False):
                break
            time.sleep(0.05)
        else:
            worker.log.warning(
                'cache listener of "%s" not started in 10 s', name)
