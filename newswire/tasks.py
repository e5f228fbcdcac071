"""The newswire's jobs (procrastinate). Each is safe to run twice; the work is in `push` and `versions`."""

from procrastinate.contrib.django import app

from . import push, versions

QUEUE = "newswire"


@app.task(name="newswire.deliver", queue=QUEUE, retry=push.Backoff(), pass_context=True)
def deliver(context, delivery_id: int) -> str:
    return push.attempt(delivery_id, final=push.is_final(context.job.attempts))


@app.task(name="newswire.release_story", queue=QUEUE)
def release_story(article_id: int) -> int:
    return versions.release_story(article_id)


@app.task(name="newswire.lift_embargo", queue=QUEUE)
def lift_embargo(article_id: int, version: int) -> int:
    return versions.lift_embargo(article_id, version)
