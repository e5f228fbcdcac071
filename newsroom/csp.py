"""Content-Security-Policy: no inline script runs anywhere unless the page itself vouches for it.

Scripts load from the site only ('self'). The one inline script the admin needs, the import map
that django-prose-editor writes in a <script type="importmap">, carries the request's nonce: every
admin page that renders form media gets it here, before the template is rendered, so the nonce in
the tag and the one in the header are the same. A page that asks for no nonce (every reader's page)
sends `script-src 'self'` alone.
"""

from csp.middleware import CSPMiddleware
from js_asset import Media


class NewsroomCSPMiddleware(CSPMiddleware):
    def process_template_response(self, request, response):
        context = response.context_data
        if isinstance(context, dict) and context.get("media") is not None:
            # Read lazily: the nonce is made (and named in the header) only if a tag is rendered.
            context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return response
