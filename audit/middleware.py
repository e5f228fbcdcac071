"""Keeps the client address of the request being served, so that `audit.record()` called deep in a
domain function (a workflow move, a revision) knows where the action came from without every
signature carrying the request."""

from contextvars import ContextVar

from accounts.addresses import client_address

_address: ContextVar[str] = ContextVar("audit_client_address", default="")


def current_address() -> str:
    return _address.get()


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _address.reset(token)
