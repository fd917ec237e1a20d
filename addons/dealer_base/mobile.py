# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""The salesperson's phone app (issue 16, R-ALL-01) under /m/.

The app is static: mobile/ built by vite (`./dealer install`) into
<web root>/../mobile (var/mobile), or [dealer] mobile_root.  It speaks
JSON-RPC with the user's own session, so it needs nothing from the server
but its files.  They are served here rather than by trytond's static server
(werkzeug's SharedDataMiddleware on [web] root) because that one does not
compress: the build writes a .gz beside each file and this route sends it
to browsers that accept gzip, which puts the first load on a 3G network
under the target (bench/mobile.py measures it).  Nothing here reads a
database or a session."""
import mimetypes
import os

from werkzeug.exceptions import NotFound
from werkzeug.utils import redirect, safe_join
from werkzeug.wrappers import Response

from trytond.config import config
from trytond.wsgi import app

# vite names the files of assets/ by their content: cached for a year, a
# new build gets new names; index.html is revalidated on every load.
IMMUTABLE = 'public, max-age=31536000, immutable'
REVALIDATE = 'no-cache'


def mobile_root():
    root = config.get('dealer', 'mobile_root', default=None)
    if not root:
        web = config.get('web', 'root', default=None)
        if not web:
            return None
        root = os.path.join(os.path.dirname(os.path.abspath(web)), 'mobile')
    return root


def _send(request, path):
    root = mobile_root()
    filename = safe_join(root, path) if root else None
    if not filename or not os.path.isfile(filename):
        raise NotFound()
    mimetype = mimetypes.guess_type(filename)[0] or 'application/octet-stream'
    # werkzeug adds the charset of text/* itself
    if mimetype in {'application/javascript', 'application/json'}:
        mimetype += '; charset=utf-8'
    headers = {
        'Cache-Control': IMMUTABLE if path.startswith('assets/')
        else REVALIDATE,
        'Vary': 'Accept-Encoding',
        # The app needs nothing from another site, and no one frames it.
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        }
    if ('gzip' in request.headers.get('Accept-Encoding', '')
            and os.path.isfile(filename + '.gz')):
        filename += '.gz'
        headers['Content-Encoding'] = 'gzip'
    with open(filename, 'rb') as f:
        data = f.read()
    # werkzeug sends the headers alone to a HEAD request.
    return Response(data, mimetype=mimetype, headers=headers)


@app.route('/m', methods=['GET', 'HEAD'])
def mobile_redirect(request):
    return redirect('/m/')


@app.route('/m/', methods=['GET', 'HEAD'])
def mobile_index(request):
    return _send(request, 'index.html')


@app.route('/m/<path:path>', methods=['GET', 'HEAD'])
def mobile_file(request, path):
    return _send(request, path)
