"""Django's Redis cache backend, with one client object per connection pool.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every call, and each one
fills a table of ~170 response callbacks: about a tenth of a cached page's whole cost on the fast
path (bench/hit_profile.py). Connections still come from redis-py's pool, so reusing the client is
as safe across threads as Django's own behaviour.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
