"""Decoding an upload is bounded: its true cost (frames × pixels) is checked from the headers, and
whatever the headers claim, the decoding runs in a sandbox that cannot take the worker's memory.

Peak memory is measured in a fresh Python process standing in for a web worker (its own VmHWM and
the ru_maxrss of the decoding child it waited for), never assumed.
"""

import io
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from articles import images

from .factories import animated_gif, gif_bomb, picture_bytes

ROOT = Path(__file__).resolve().parent.parent
MB = 1024


def upload(data: bytes, name="picture.gif", content_type="image/gif"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(data: bytes, name="picture.gif") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        images.clean_upload(upload(data, name=name))
    return caught.value


@pytest.mark.parametrize(("size", "frames"), [(7000, 10), (2000, 100)])
def test_a_gif_bomb_is_refused_for_what_all_its_frames_would_cost(size, frames):
    error = refusal(gif_bomb(size, frames))
    assert error.code == "too_many_pixels"
    message = error.messages[0]
    assert str(frames) in message and f"{size} × {size}" in message, message


def test_a_gif_frame_reaching_beyond_the_screen_counts_at_its_full_size():
    # The logical screen says 10 × 10; three frames of 5000 × 5000 follow (75 megapixels to decode).
    small = io.BytesIO()
    PillowImage.new("P", (10, 10), 0).save(small, format="GIF")
    data = bytearray(small.getvalue()[:-1])
    for _ in range(3):
        data += b"\x2c" + struct.pack("<HHHH", 0, 0, 5000, 5000) + b"\x00" + b"\x02\x02\x4c\x01\x00"
    assert images.gif_extent(bytes(data) + b";") == images.Extent(5000, 5000, 4)
    assert refusal(bytes(data) + b";").code == "too_many_pixels"


def test_an_animation_with_too_many_frames_is_refused_however_small():
    frames = [PillowImage.new("P", (8, 8), index % 2) for index in range(images.MAX_FRAMES + 1)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 255, 255])
    data = io.BytesIO()
    frames[0].save(data, format="GIF", save_all=True, append_images=frames[1:])
    assert refusal(data.getvalue()).code == "too_many_frames"


def test_an_ordinary_animation_keeps_every_frame_and_its_timing():
    source = animated_gif(480, 270, 48)
    cleaned = PillowImage.open(images.clean_upload(upload(source)))
    assert (cleaned.size, cleaned.n_frames) == ((480, 270), 48)
    cleaned.seek(20)
    assert cleaned.info["duration"] == 80


def test_a_24_megapixel_photo_is_accepted():
    cleaned = images.clean_upload(upload(picture_bytes(6000, 4000), name="photo.jpg", content_type="image/jpeg"))
    assert PillowImage.open(cleaned).size == (6000, 4000)


def test_the_header_walk_counts_frames_as_pillow_does():
    for data in (animated_gif(120, 80, 7), gif_bomb(300, 12), picture_bytes(50, 40, format="GIF")):
        picture = PillowImage.open(io.BytesIO(data))
        assert images.gif_extent(data) == images.Extent(*picture.size, picture.n_frames)


# Peak memory, measured in a fresh process that plays the web worker.

WORKER = """
import json, resource, sys
from pathlib import Path
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from articles import images

def peak_kb():
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(line for line in status if line.startswith("VmHWM:")).split()[1])

data = Path(sys.argv[1]).read_bytes()
before = peak_kb()
try:
    images.clean_upload(SimpleUploadedFile("upload.gif", data, content_type="image/gif"))
    code = "accepted"
except ValidationError as error:
    code = error.code
print(json.dumps({"code": code, "before": before, "after": peak_kb(),
                  "child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def upload_in_a_fresh_worker(tmp_path, data: bytes, **environment) -> dict:
    path = tmp_path / "upload.gif"
    path.write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "PYTHONPATH": str(ROOT), **environment}
    run = subprocess.run(
        [sys.executable, "-c", WORKER, str(path)], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("size", "frames"), [(7000, 10), (2000, 100)])
def test_a_gif_bomb_costs_the_worker_no_memory(tmp_path, size, frames):
    # Before the fix these two took the worker to 3.3 GB and 2.1 GB.
    worker = upload_in_a_fresh_worker(tmp_path, gif_bomb(size, frames))
    assert worker["code"] == "too_many_pixels"
    assert worker["after"] - worker["before"] < 32 * MB, f"the worker grew by {worker['after'] - worker['before']} KB"
    assert worker["child"] - worker["before"] < 32 * MB, "the refusal should need no decoding at all"


def test_decoding_that_outgrows_its_memory_is_stopped_in_the_sandbox_not_the_worker(tmp_path):
    # With the pixel limit lifted, the headers pass and the 7000 × 7000 × 10 bomb is decoded for
    # real: only the sandbox's memory limit stands between it and 3 GB.
    worker = upload_in_a_fresh_worker(
        tmp_path, gif_bomb(7000, 10), IMAGE_MAX_MEGAPIXELS="100000", IMAGE_DECODE_MEMORY_MB="256"
    )
    assert worker["code"] == "too_costly"
    assert worker["after"] - worker["before"] < 32 * MB, f"the worker grew by {worker['after'] - worker['before']} KB"
    assert worker["child"] < worker["before"] + 256 * MB + 32 * MB, f"the sandbox peaked at {worker['child']} KB"


def test_refusals_in_the_sandbox_are_in_arabic():
    from django.utils import translation

    with translation.override("ar"):
        message = refusal(gif_bomb(2000, 100)).messages[0]
    assert "ميغابكسل" in message and "إطار" in message, message


def test_an_overloaded_server_says_so_rather_than_failing(monkeypatch):
    def no_fork():
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    from django.utils import translation

    with translation.override("ar"):
        error = refusal(animated_gif(48, 27, 3))
    assert error.code == "server_busy"
    assert "الخادم مشغول" in error.messages[0]
