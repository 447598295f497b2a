"""Redis as production uses it (REDIS_URL): the cache, the rate limits and the login lockout
against a real Redis server, and pages that keep answering when Redis is down or hangs.

The machine's Redis is used in database 7 (REDIS_TEST_URL), each test under a key prefix of its
own. Without Redis these tests are skipped with the reason, except in CI.
"""

import logging
import time

import pytest
import redis
from django.core.cache import cache
from django.utils.safestring import mark_safe

from netwerk.places.update_links import update_link_path
from tests.redis_servers import (
    RedisServer,
    SilentServer,
    cache_settings,
    closed_port_url,
    delete_prefixed,
    require_redis,
)

PUBLIC_PAGES = ["/", "/zoeken/", "/zoeken/?q=hospice", "/wie-bel-ik-nu/?postcode=3511", "/privacy/"]


@pytest.fixture(autouse=True)
def retry_at_once(monkeypatch):
    """No test inherits another's "Redis was down" window."""
    monkeypatch.setattr("expertisekaart.cache._skip_until", {})


@pytest.fixture
def redis_cache(settings):
    """Django's cache in the machine's Redis, as settings.py configures it for REDIS_URL."""
    url = require_redis()
    settings.CACHES = cache_settings(url)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    yield redis.Redis.from_url(url), prefix
    delete_prefixed(url, prefix)


@pytest.fixture
def redis_down(settings):
    """REDIS_URL pointing at a real closed port on 127.0.0.1."""
    settings.CACHES = cache_settings(closed_port_url())


def keys_in_redis(client, prefix) -> list[bytes]:
    return list(client.scan_iter(f"{prefix}:*"))


# --- With Redis -----------------------------------------------------------------------------------


def test_the_cache_keeps_values_in_redis(redis_cache):
    client, prefix = redis_cache
    cache.set("greeting", {"nl": "hallo"}, 60)
    assert cache.get("greeting") == {"nl": "hallo"}
    assert client.exists(f"{prefix}:1:greeting")
    assert cache.add("counter", 1) is True
    assert cache.incr("counter") == 2


@pytest.mark.django_db
def test_the_public_pages_are_cached_in_redis_and_served_from_it(redis_cache, demo, client):
    client_redis, prefix = redis_cache
    assert client.get("/zoeken/?q=hospice").status_code == 200
    [stored] = [k.decode() for k in keys_in_redis(client_redis, prefix) if b":netwerk:page:" in k]
    key = stored.removeprefix(f"{prefix}:1:")
    cache.set(key, mark_safe(cache.get(key) + "<p>uit Redis</p>"), 60)
    assert "<p>uit Redis</p>" in client.get("/zoeken/?q=hospice").content.decode()


@pytest.mark.django_db
def test_the_rate_limit_counts_in_redis(redis_cache, client, update_link, settings):
    client_redis, prefix = redis_cache
    settings.PLACE_UPDATE_LINK_RATE = "3/m"
    url = update_link_path(update_link.token)
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(url).status_code == 429
    counters = [key for key in keys_in_redis(client_redis, prefix) if b"rl:" in key]
    assert counters, "django-ratelimit's counter is not in Redis"


@pytest.mark.django_db
def test_the_login_lockout_holds_with_redis_as_the_cache(redis_cache, client, settings):
    from django.contrib.auth.models import User

    User.objects.create_user("coordinator", password="een-lang-wachtwoord-42", is_staff=True)
    attempts = [
        client.post("/beheer/login/", {"username": "coordinator", "password": "geraden"})
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [response.status_code for response in attempts][-1] == 429
    right = client.post(
        "/beheer/login/", {"username": "coordinator", "password": "een-lang-wachtwoord-42"}
    )
    assert right.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in right.content.decode()


# --- Redis down or hanging -----------------------------------------------------------------------


def test_with_redis_down_the_cache_answers_as_an_empty_one_and_warns(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="expertisekaart.cache"):
        cache.set("greeting", "hallo")
        assert cache.get("greeting", "nothing") == "nothing"
        assert cache.add("counter", 1) is False
        with pytest.raises(ValueError):
            cache.incr("counter")
    warnings = [r.getMessage() for r in caplog.records if r.name == "expertisekaart.cache"]
    assert len(warnings) == 1, "one warning per outage, not one per call"
    assert "Redis cache unavailable (ConnectionError" in warnings[0]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_with_redis_down_the_pages_still_answer(redis_down, demo, client, path, caplog):
    with caplog.at_level(logging.WARNING, logger="expertisekaart.cache"):
        assert client.get(path).status_code == 200
        assert client.get(path).status_code == 200
    assert "Redis cache unavailable" in caplog.text


@pytest.mark.django_db
def test_with_redis_down_the_api_and_the_update_links_are_not_refused(
    redis_down, demo, client, update_link
):
    assert client.get("/api/v1/services").status_code == 200
    assert client.get(update_link_path(update_link.token)).status_code == 200


@pytest.mark.django_db
def test_with_redis_down_the_login_lockout_still_holds(redis_down, client, settings):
    from django.contrib.auth.models import User

    User.objects.create_user("coordinator", password="een-lang-wachtwoord-42", is_staff=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/beheer/login/", {"username": "coordinator", "password": "geraden"})
    right = client.post(
        "/beheer/login/", {"username": "coordinator", "password": "een-lang-wachtwoord-42"}
    )
    assert right.status_code == 429


def test_a_redis_that_never_answers_costs_one_timeout_then_is_left_alone(settings, caplog):
    silent = SilentServer()
    try:
        settings.CACHES = cache_settings(silent.url)
        with caplog.at_level(logging.WARNING, logger="expertisekaart.cache"):
            assert cache.get("greeting") is None
            assert cache.get("greeting") is None
        assert "Redis cache unavailable (TimeoutError" in caplog.text
        assert len(silent.accepted) == 1, "the second call should not have tried again"
    finally:
        silent.close()


def test_the_cache_comes_back_by_itself_when_redis_does(settings):
    server = RedisServer()
    settings.CACHES = cache_settings(server.url, RETRY_SECONDS=0.2)
    assert cache.get("greeting", "missed") == "missed"  # nothing listens yet
    server.start()
    try:
        time.sleep(0.3)  # the window in which the cache leaves Redis alone
        cache.set("greeting", "hallo")
        assert cache.get("greeting") == "hallo"
    finally:
        server.stop()


# --- Without the machine's Redis ------------------------------------------------------------------


def test_without_redis_ci_fails_instead_of_skipping(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI may not skip the Redis tests"):
        require_redis(closed_port_url())


def test_without_redis_elsewhere_the_tests_are_skipped_with_the_reason(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"no Redis answers at redis://127\.0\.0\.1:"):
        require_redis(closed_port_url())
