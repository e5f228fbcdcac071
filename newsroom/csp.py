"""Content-Security-Policy: strict on the public site, one allowance for the admin."""

from csp.middleware import CSPMiddleware, PolicyParts


class NewsroomCSPMiddleware(CSPMiddleware):
    # The admin's rich-text editor (django-prose-editor) declares its ES modules in an inline
    # <script type="importmap">, which a hash cannot cover because its URLs change with every
    # static build. Readers' pages never get this allowance.
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), "script-src": ["'unsafe-inline'"]}
        return parts
