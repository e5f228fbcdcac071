"""Upload bodies are refused before they are read: on their declared length, or cut off at the file
limit as they stream, with an Arabic explanation either way and, where the body was read, the form
kept as typed."""

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from articles import wire
from articles.models import Image
from articles.upload_limits import LimitedUploadHandler

from .test_image_admin import form_data

pytestmark = pytest.mark.django_db

WIRE = reverse("admin:articles_article_import_wire")
IMAGE = reverse("admin:articles_image_add")
MB = 1024 * 1024


class Sender:
    """A request body as a socket delivers it: `length` bytes of `head` and then filler, counting
    every byte the server reads."""

    def __init__(self, head: bytes = b"", length: int = 100 * MB):
        self.head, self.length, self.read_bytes = head, length, 0

    def read(self, size: int = -1) -> bytes:
        remaining = self.length - self.read_bytes
        size = remaining if size is None or size < 0 else min(size, remaining)
        start, self.read_bytes = self.read_bytes, self.read_bytes + size
        chunk = self.head[start : start + size]
        return chunk + b"x" * (size - len(chunk))

    def readline(self, size: int = -1) -> bytes:
        return self.read(size if size and size > 0 else 65536)


def send(client, url: str, body: Sender, declared: int | None):
    meta = {"wsgi.input": body, "CONTENT_TYPE": MULTIPART_CONTENT}
    meta["CONTENT_LENGTH"] = "" if declared is None else str(declared)
    return client.generic("POST", url, **meta)


@pytest.mark.parametrize("url", [WIRE, IMAGE], ids=["wire", "image"])
def test_a_100_mb_upload_is_refused_on_its_declared_length_before_a_byte_is_read(client, journalist, url):
    client.force_login(journalist)
    body = Sender()
    response = send(client, url, body, declared=100 * MB)
    assert response.status_code == 413
    assert body.read_bytes == 0, f"{body.read_bytes} bytes of the body were read before refusing it"
    page = response.content.decode()
    assert "أكبر ملف تقبله هذه الصفحة" in page and "العودة إلى النموذج" in page, "the page should explain, in Arabic"
    assert 'dir="rtl"' in page


def test_a_visitor_who_is_not_signed_in_is_refused_the_same_way(client):
    body = Sender()
    assert send(client, WIRE, body, declared=100 * MB).status_code == 413
    assert body.read_bytes == 0


def test_a_body_longer_than_it_declares_is_read_no_further(client, journalist):
    client.force_login(journalist)
    form = encode_multipart(BOUNDARY, {"action": "parse", "text": "دمشق (تليسكوب) - نص قصير للتجربة."})
    body = Sender(head=form, length=100 * MB)
    response = send(client, WIRE, body, declared=len(form))
    assert response.status_code == 200
    assert body.read_bytes <= len(form), "the server read past the declared length"


def test_a_body_that_declares_no_length_is_not_read(client, journalist):
    client.force_login(journalist)
    body = Sender()
    response = send(client, WIRE, body, declared=None)
    assert response.status_code in {200, 403}
    assert body.read_bytes == 0


def test_a_wire_file_over_its_limit_is_cut_off_and_the_typed_text_kept(client, journalist):
    client.force_login(journalist)
    data = b"a " * (wire.MAX_UPLOAD_BYTES // 2 + 200_000)
    big = SimpleUploadedFile("huge.txt", data, content_type="text/plain")
    response = client.post(WIRE, {"action": "parse", "text": "نص كتبه الصحفي قبل أن يختار الملف", "file": big})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"الملف كبير جدًا ({len(data) / MB:.1f} MB)" in page, "the message should give the file's true size"
    assert "نص كتبه الصحفي قبل أن يختار الملف" in page, "the typed text was lost"


def test_an_image_over_its_limit_is_cut_off_and_the_form_kept(client, journalist, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1 * MB
    client.force_login(journalist)
    big = SimpleUploadedFile("large.jpg", b"\xff" * (MB + MB // 2), content_type="image/jpeg")
    response = client.post(IMAGE, form_data(big))
    assert response.status_code == 200
    page = response.content.decode()
    assert "وأكبر حجم نقبله للصورة" in page, "the size refusal should be shown in Arabic"
    assert "متظاهرون يرفعون الأعلام في ساحة الأمويين" in page, "the Arabic alt text was lost"
    assert not Image.objects.exists()


def test_the_handler_passes_on_no_byte_past_the_limit(rf):
    handler = LimitedUploadHandler(rf.post("/"), limit=100_000)
    handler.new_file("file", "big.jpg", "image/jpeg", None)
    passed = sum(len(handler.receive_data_chunk(b"x" * 65536, 0) or b"") for _ in range(5))
    assert passed <= 100_000
    stand_in = handler.file_complete(5 * 65536)
    assert stand_in.size == 5 * 65536 and stand_in.name == "big.jpg"


def test_form_fields_past_djangos_limit_get_the_arabic_page_not_a_bare_400(client, journalist, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(journalist)
    response = client.post(WIRE, {"action": "parse", "text": "ن" * 20_000})
    assert response.status_code == 413
    assert "أكبر ملف تقبله هذه الصفحة" in response.content.decode()


def test_pages_with_a_file_field_tell_the_browser_their_limit(client, journalist):
    client.force_login(journalist)
    for url in (WIRE, IMAGE):
        page = client.get(url).content.decode()
        assert "data-max-bytes=" in page and "admin/upload-limit.js" in page, url
        assert "اختر ملفًا أصغر" in page, url


@pytest.mark.django_db(transaction=True)
def test_a_real_server_answers_a_100_mb_upload_before_it_is_sent(live_server):
    # A real socket: the headers announce 100 MB, 64 KB follow, and the answer must come back
    # while the client still holds the other 99.9 MB. Before the limit, the server sat reading.
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=30) as connection:
        connection.sendall(
            f"POST {WIRE} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {MULTIPART_CONTENT}\r\n"
            f"Content-Length: {100 * MB}\r\n\r\n".encode()
        )
        connection.sendall(b"x" * 65536)
        status_line = connection.recv(4096).split(b"\r\n", 1)[0]
    assert status_line.endswith(b"413 Request Entity Too Large") or b" 413 " in status_line, status_line
