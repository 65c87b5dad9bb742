"""A small Anthropic Messages API mock on 127.0.0.1 (synthetic answers, for tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web


class MockAnthropic:
    """Serves ``POST /v1/messages``; ``answer(body) -> text`` decides the reply.

    ``fail_first`` requests get ``fail_status`` (with ``retry-after`` when set).
    """

    def __init__(self, answer: Callable[[dict[str, Any]], Any] | None = None, *, fail_first: int = 0,
                 fail_status: int = 529, retry_after: float | None = None) -> None:
        self.answer = answer or (lambda body: "echo: " + body["messages"][-1]["content"])
        self.fail_first, self.fail_status, self.retry_after = fail_first, fail_status, retry_after
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def _messages(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        self.headers.append({k.lower(): v for k, v in request.headers.items()})
        if "max_tokens" not in body:
            return web.json_response({"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens: Field required"}}, status=400)
        if len(self.requests) <= self.fail_first:
            hdrs = {"retry-after": f"{self.retry_after:g}"} if self.retry_after is not None else None
            return web.json_response({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, status=self.fail_status, headers=hdrs)
        out = self.answer(body)
        content = out if isinstance(out, list) else [{"type": "text", "text": out}]
        words = sum(len(str(m["content"]).split()) for m in body["messages"]) + len(str(body.get("system", "")).split())
        return web.json_response({
            "id": f"msg_{len(self.requests)}", "type": "message", "role": "assistant", "model": body["model"],
            "content": content, "stop_reason": "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": words, "output_tokens": sum(len(str(c.get("text", "")).split()) for c in content),
                      "cache_read_input_tokens": 2},
        })

    async def __aenter__(self) -> "MockAnthropic":
        app = web.Application()
        app.router.add_post("/v1/messages", self._messages)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/v1"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()
