"""Anonymous GETs of the JSON API answered from the cache, like the portal's pages (``portal.cached_public``).

For a visitor who is not signed in every API answer is published data only, and published data
changes only with a publication: the answer is cached by path and query under the publication
generation (``portal.generation``), so a publication makes every cached answer unreachable at once, in
every server process. Signed-in users (whose answers include what their rights show) and anything but a
200 are never cached. A middleware rather than a decorator per endpoint: every endpoint is covered,
including ones added later, and the endpoints stay as they are.
"""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

CACHE_SECONDS = 600


class AnonymousApiCache:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("api:api-root")
        if request.method != "GET" or not request.path.startswith(self.prefix) or request.user.is_authenticated:
            return self.get_response(request)
        from yusuan.web.portal import generation

        key = f"yusuan-api:{generation()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            return hit
        response = self.get_response(request)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            cache.set(key, response, CACHE_SECONDS)
        return response
