"""The client's address, as sign-in protection and the audit trail record it.

Written here rather than taken from django-ipware: the rule we need is short and strict — believe
X-Forwarded-For only when the request really comes from one of our own proxies, and then take the
right-most address that is not one of them (the left part of the header is whatever the client
chose to send). ipware counts proxies or matches prefixes inside the header instead.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request: HttpRequest | None) -> str:
    """The address of whoever sent `request`; "" when there is none to tell."""
    if request is None:
        return ""
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    networks = _trusted(tuple(settings.TRUSTED_PROXIES))
    if not _is_trusted(remote, networks):
        return str(remote) if remote is not None else ""
    hops = [_parse(hop) for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop is None:
            # A malformed entry: nothing to the left of it can be believed either.
            break
        if not _is_trusted(hop, networks):
            return str(hop)
    return str(remote)
