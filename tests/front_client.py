"""The test client with the page cache's WSGI front before Django, as gunicorn runs the site
(newsroom/wsgi.py): a hit is answered by the front, anything else by Django's test handler."""

import time

from django.http import HttpResponse
from django.test.client import ClientHandler, conditional_content_removal

from newsroom.pagecache import PageCacheFront


class FrontClientHandler(ClientHandler):
    def __call__(self, environ):
        started = time.perf_counter()
        front = PageCacheFront(application=None, release_connections=lambda: None)
        found = front.hit(environ)
        if found is None:
            return super().__call__(environ)
        request, answer = found
        status, headers = front.status_and_headers(request, answer, started)
        response = HttpResponse(answer.body, status=int(status.split()[0]), headers=dict(headers))
        if not any(name.lower() == "content-type" for name, _value in headers):
            del response["Content-Type"]  # HttpResponse adds one; the front's answer had none
        conditional_content_removal(request, response)
        response.wsgi_request = request
        return response


def through_the_front(client):
    """`client`, answering as the deployed application does."""
    client.handler = FrontClientHandler(enforce_csrf_checks=client.handler.enforce_csrf_checks)
    return client
