"""Request every page of the app as each demo role and print the slowest (issue 8.9: no
request over 2 s on the demo data). Pages are found by following the links of each role's
pages from its home page, a few instances per URL pattern."""

import time
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import Resolver404, resolve

DEMO_USERS = ["penyelenggara", "operator", "operator2", "peserta", "fasilitator", "asesor"]
SKIP_PREFIXES = ("/static/", "/admin/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("href", "hx-get", "data-hx-get"):
            if tag in {"a", "link", "div", "span", "tr", "button"} and values.get(name):
                self.links.append(values[name])


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


class Command(BaseCommand):
    help = "Request every GET page for each demo role and print the slowest with timings."

    def add_arguments(self, parser):
        parser.add_argument("--per-pattern", type=int, default=3,
                            help="instances of one URL pattern to request per role")
        parser.add_argument("--top", type=int, default=15, help="how many rows to print")
        parser.add_argument("--limit", type=float, default=2.0,
                            help="seconds; exit with an error when a request takes longer")

    def handle(self, *args, per_pattern: int, top: int, limit: float, **options):
        users = {user.username: user for user in
                 get_user_model().objects.filter(username__in=DEMO_USERS)}
        if not users:
            raise CommandError("No demo users: run `python manage.py load_demo` first.")
        rows = []
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            rows += self._crawl(None, per_pattern)
            for username in DEMO_USERS:
                if username in users:
                    rows += self._crawl(users[username], per_pattern)
        rows.sort(key=lambda row: row[0], reverse=True)
        self.stdout.write(f"{len(rows)} requests; the slowest {min(top, len(rows))}:")
        self.stdout.write(f"{'seconds':>8} {'queries':>7} {'status':>6}  {'role':<14} url")
        for seconds, queries, status, role, url in rows[:top]:
            self.stdout.write(f"{seconds:8.3f} {queries:7d} {status:6d}  {role:<14} {url}")
        slow = [row for row in rows if row[0] > limit]
        if slow:
            raise CommandError(f"{len(slow)} request(s) over {limit} s")
        self.stdout.write(f"No request over {limit} s.")

    def _crawl(self, user, per_pattern: int) -> list[tuple]:
        client = Client()
        role = user.username if user else "anonymous"
        if user is not None:
            client.force_login(user)
        seen, per_view, rows = set(), Counter(), []
        queue = deque(["/"])
        while queue:
            url = queue.popleft()
            try:
                match = resolve(urlsplit(url).path)
            except Resolver404:
                continue
            if match.view_name in {"logout", "set_language"}:
                continue
            if per_view[match.view_name] >= per_pattern:
                continue
            per_view[match.view_name] += 1
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                content = b"".join(response.streaming_content) if response.streaming \
                    else response.content
                seconds = time.perf_counter() - start
            rows.append((seconds, len(queries), response.status_code, role, url))
            if "text/html" not in response.get("Content-Type", ""):
                continue
            for link in _links(content.decode(errors="replace")):
                link = urldefrag(link).url
                parts = urlsplit(link)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                if link.startswith(SKIP_PREFIXES) or link in seen:
                    continue
                seen.add(link)
                queue.append(link)
        return rows
