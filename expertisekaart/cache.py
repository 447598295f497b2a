"""Django's Redis cache, for a site that must answer when Redis does not.

The public pages, the map and the rate limits use the cache (``REDIS_URL``). When Redis is
unreachable or too slow (short socket timeouts, ``REDIS_TIMEOUT_SECONDS``), every cache call here
answers as an empty cache would: a read misses, a write is dropped, a counter is not counted.
The pages are then built from the database, as without a cache. The first failure logs a warning;
for the next ``REDIS_RETRY_SECONDS`` the cache is not asked at all, so a Redis that hangs costs a
request at most one timeout, and afterwards it is tried again: it recovers without a restart.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Per process and Redis address: the moment until which it is left alone after a failure.
_skip_until: dict[str, float] = {}


class CacheUnavailable(Exception):
    """Redis did not answer; the caller answers as an empty cache."""


class ForgivingRedisCache(RedisCache):
    """RedisCache that degrades to no cache, with a warning in the log, while Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._retry_seconds = float(params.get("RETRY_SECONDS", 5))
        self._location = str(server)

    def _call(self, method: str, *args, default=None, **kwargs):
        if time.monotonic() < _skip_until.get(self._location, 0.0):
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            _skip_until[self._location] = time.monotonic() + self._retry_seconds
            logger.warning(
                "Redis cache unavailable (%s: %s); serving without the cache for %.0f s",
                type(error).__name__,
                error,
                self._retry_seconds,
            )
            return default

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version, default=default)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version, default={})

    def has_key(self, key, version=None):
        return self._call("has_key", key, version, default=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version, default=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version, default=list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version, default=False)

    def incr(self, key, delta=1, version=None):
        """A counter that cannot be counted reads as missing (django-ratelimit then lets the
        request through: RATELIMIT_FAIL_OPEN)."""
        result = self._call("incr", key, delta, version, default=CacheUnavailable)
        if result is CacheUnavailable:
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).")
        return result

    def delete(self, key, version=None):
        return self._call("delete", key, version, default=False)

    def delete_many(self, keys, version=None):
        self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear", default=False)
