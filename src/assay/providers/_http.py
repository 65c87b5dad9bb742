"""The HTTP seam shared by the HTTP providers (OpenAI-compatible, Anthropic).

Two interchangeable clients sit behind one small interface, chosen per candidate with
``options.http`` (``aiohttp``, the default, or ``httpx``): ``bench/runner_vs_peers``
measured aiohttp's client at a fraction of httpx's CPU per request, which is what bounds
throughput on a small machine. Every transport failure (refused connection, reset,
truncated body, timeout) is raised as :class:`RetryableError`, so the runner retries it.

API keys pass through ``headers`` only; nothing here logs or stores them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from assay.errors import ConfigError, ProviderError

RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})


class RetryableError(ProviderError):
    """A failure that may pass if the same request is sent again (the runner retries it)."""

    def __init__(self, message: str, *, candidate: str | None, retry_after: float | None = None) -> None:
        super().__init__(message, candidate=candidate, retryable=True)
        self.retry_after = retry_after


@dataclass
class HttpResponse:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    def text(self, limit: int = 300) -> str:
        return self.body[:limit].decode("utf-8", errors="replace")


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds form), else None."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every secret replaced, for error bodies that echo a request header."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def check_status(
    resp_status: int, headers: Mapping[str, str], detail: str, where: str, candidate: str, secrets: tuple[str, ...] = ()
) -> None:
    """Raise the right error for a non-200 answer: retryable for 408/409/425/429/5xx/529.

    The server's text goes into the message (and so into the stored error) with
    ``secrets`` removed: some servers echo the Authorization header back.
    """
    if resp_status == 200:
        return
    msg = f"HTTP {resp_status} from {where}: {redact(detail, secrets)}"
    if resp_status in RETRYABLE_STATUS:
        raise RetryableError(msg, candidate=candidate, retry_after=retry_after(headers))
    raise ProviderError(msg, candidate=candidate)


def parse_json(body: bytes, where: str, candidate: str, secrets: tuple[str, ...] = ()) -> Any:
    """A body that is not JSON at all (cut off, garbled by a proxy) is worth retrying."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        snippet = redact(body[:120].decode("utf-8", errors="replace"), secrets)
        raise RetryableError(f"invalid JSON from {where}: {snippet!r}", candidate=candidate) from None


class StreamResponse(Protocol):
    status: int
    headers: Mapping[str, str]

    def lines(self) -> AsyncIterator[bytes]: ...

    async def read(self) -> bytes: ...


class HttpClient(Protocol):
    async def post(self, path: str, body: dict[str, Any], headers: Mapping[str, str] | None = None) -> HttpResponse: ...

    def stream(self, path: str, body: dict[str, Any]) -> Any:
        """Async context manager yielding a :class:`StreamResponse`."""

    async def aclose(self) -> None: ...


class _Httpx:
    def __init__(self, base_url: str, headers: Mapping[str, str], timeout_s: float, max_connections: int, candidate: str) -> None:
        import httpx

        self._httpx = httpx
        self.base_url, self.candidate = base_url, candidate
        self._client = httpx.AsyncClient(
            base_url=base_url,
            headers={**headers, "content-type": "application/json"},
            timeout=httpx.Timeout(timeout_s),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        )

    def _fail(self, exc: Exception) -> RetryableError:
        kind = "timed out calling" if isinstance(exc, self._httpx.TimeoutException) else "cannot reach"
        return RetryableError(f"{kind} {self.base_url}: {exc!r}", candidate=self.candidate)

    async def post(self, path: str, body: dict[str, Any], headers: Mapping[str, str] | None = None) -> HttpResponse:
        try:
            resp = await self._client.post(path, content=orjson.dumps(body), headers=headers)
            data = resp.content
        except self._httpx.TransportError as exc:
            raise self._fail(exc) from None
        return HttpResponse(resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, data)

    @asynccontextmanager
    async def stream(self, path: str, body: dict[str, Any]) -> AsyncIterator[Any]:
        client = self

        class _Resp:
            def __init__(self, r: Any) -> None:
                self._r, self.status = r, r.status_code
                self.headers = {k.lower(): v for k, v in r.headers.items()}

            async def lines(self) -> AsyncIterator[bytes]:
                try:
                    async for line in self._r.aiter_lines():
                        yield line.encode()
                except client._httpx.TransportError as exc:
                    raise client._fail(exc) from None

            async def read(self) -> bytes:
                try:
                    return bytes(await self._r.aread())
                except client._httpx.TransportError as exc:
                    raise client._fail(exc) from None

        try:
            async with self._client.stream("POST", path, content=orjson.dumps(body)) as r:
                yield _Resp(r)
        except self._httpx.TransportError as exc:
            raise self._fail(exc) from None

    async def aclose(self) -> None:
        await self._client.aclose()


class _Aiohttp:
    def __init__(self, base_url: str, headers: Mapping[str, str], timeout_s: float, max_connections: int, candidate: str) -> None:
        import aiohttp

        self._aiohttp = aiohttp
        self.base_url, self.candidate = base_url, candidate
        self._headers = {**headers, "content-type": "application/json"}
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._limit = max_connections
        self._session: Any = None  # created on first use, inside the running event loop

    def _get(self) -> Any:
        if self._session is None:
            a = self._aiohttp
            conn = a.TCPConnector(limit=self._limit, ttl_dns_cache=300)
            self._session = a.ClientSession(headers=self._headers, timeout=self._timeout, connector=conn)
        return self._session

    def _fail(self, exc: BaseException) -> RetryableError:
        import asyncio

        kind = "timed out calling" if isinstance(exc, asyncio.TimeoutError) else "cannot reach"
        return RetryableError(f"{kind} {self.base_url}: {exc!r}", candidate=self.candidate)

    async def post(self, path: str, body: dict[str, Any], headers: Mapping[str, str] | None = None) -> HttpResponse:
        import asyncio

        try:
            async with self._get().post(self.base_url + path, data=orjson.dumps(body), headers=headers) as r:
                data = await r.read()
                return HttpResponse(r.status, {k.lower(): v for k, v in r.headers.items()}, data)
        except (self._aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise self._fail(exc) from None

    @asynccontextmanager
    async def stream(self, path: str, body: dict[str, Any]) -> AsyncIterator[Any]:
        import asyncio

        client = self

        class _Resp:
            def __init__(self, r: Any) -> None:
                self._r, self.status = r, r.status
                self.headers = {k.lower(): v for k, v in r.headers.items()}

            async def lines(self) -> AsyncIterator[bytes]:
                try:
                    async for line in self._r.content:
                        yield line.rstrip(b"\r\n")
                except (client._aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    raise client._fail(exc) from None

            async def read(self) -> bytes:
                try:
                    return bytes(await self._r.read())
                except (client._aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    raise client._fail(exc) from None

        try:
            async with self._get().post(self.base_url + path, data=orjson.dumps(body)) as r:
                yield _Resp(r)
        except (self._aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise self._fail(exc) from None

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()


def make_client(
    base_url: str, headers: Mapping[str, str], options: Mapping[str, Any], candidate: str
) -> HttpClient:
    """The HTTP client for a candidate: ``options.http`` (aiohttp | httpx), ``timeout_s``, ``max_connections``."""
    kind = str(options.get("http", "aiohttp"))
    timeout_s = float(options.get("timeout_s", 120))
    max_conn = int(options.get("max_connections", 512))
    if kind == "aiohttp":
        try:
            import aiohttp  # noqa: F401
        except ImportError:
            kind = "httpx"  # aiohttp is optional; httpx is always installed
    if kind == "aiohttp":
        return _Aiohttp(base_url, headers, timeout_s, max_conn, candidate)
    if kind == "httpx":
        return _Httpx(base_url, headers, timeout_s, max_conn, candidate)
    raise ConfigError(f"unknown HTTP client {kind!r}", field=f"candidates.{candidate}.options.http", hint="use aiohttp or httpx")


def sse_events(line: bytes) -> Any:
    """One ``data:`` line of a server-sent event stream as JSON; None for other lines, 'DONE' at the end."""
    if not line.startswith(b"data:"):
        return None
    payload = line[5:].strip()
    if payload == b"[DONE]":
        return "DONE"
    if not payload:
        return None
    return orjson.loads(payload)


async def stream_events(
    client: HttpClient, path: str, body: dict[str, Any], base_url: str, candidate: str, secrets: Any
) -> AsyncIterator[Any]:
    """POST ``body`` to ``path`` and yield each server-sent event's JSON (or ``"DONE"``).

    A non-200 status raises as :func:`check_status` says (retryable or not); a line that
    is not JSON is retryable (a cut or garbled stream)."""
    async with client.stream(path, body) as resp:
        if resp.status != 200:
            raw = await resp.read()
            check_status(resp.status, resp.headers, raw[:300].decode("utf-8", "replace"), base_url, candidate, secrets)
        async for line in resp.lines():
            try:
                event = sse_events(line)
            except ValueError:
                snippet = redact(line[:120].decode("utf-8", "replace"), secrets)
                raise RetryableError(f"invalid JSON in the stream from {base_url}: {snippet!r}", candidate=candidate) from None
            if event is not None:
                yield event
