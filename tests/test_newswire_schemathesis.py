"""schemathesis against the live API: no 5xx, and every answer matches the OpenAPI document.

The API is served by a real server thread (pytest-django's live_server); schemathesis reads the
document from it and sends generated requests, valid and invalid, with a real key.
"""

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.generation.modes import GenerationMode

from articles import workflow
from articles.models import Status
from newswire import keys

from .factories import ArticleFactory, ProductFactory, SectionFactory, SubscriberFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.transactional]


@pytest.fixture
def key(transactional_db, editor, settings):
    """A subscriber taking everything in both languages, and stories in every state it can see."""
    settings.NEWSWIRE_RATE_LIMIT = 1_000_000
    cache.clear()
    section = SectionFactory(slug="syria")
    outlet = SubscriberFactory(products=[ProductFactory(languages="ar,en")])
    stories = [
        ArticleFactory(section=section, status=Status.APPROVED, headline_en="Story", body_en="<p>Text.</p>")
        for _ in range(3)
    ]
    for story in stories:
        workflow.transition(story, "publish", editor)
    workflow.transition(stories[1], "update", editor, "حصيلة جديدة")
    workflow.transition(stories[2], "kill", editor, "أمر قضائي")
    return keys.make_key(outlet, "schemathesis")[1]


# schemathesis's own pytest plugin reaches into pytest internals that pytest 9 removed, so the
# operations are driven with Hypothesis directly: the same strategies, the same checks.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_live_api_never_fails_and_always_matches_its_document(live_server, key, mode):
    schema = schemathesis.openapi.from_url(live_server.url + "/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} >= {"/api/v1/items", "/api/v1/items/{item_id}"}
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            case.call_and_validate(base_url=live_server.url, headers={"Authorization": f"Bearer {key}"})

        call()
